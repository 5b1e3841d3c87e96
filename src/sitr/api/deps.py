"""Dependencies shared by the routers."""

from __future__ import annotations

from fastapi import Request

from sitr.moderation.context import Services


def services(request: Request) -> Services:
    svc: Services = request.app.state.services
    return svc

"""sitr.web: the reviewer console and partner portal, served by `sitr serve` beside the API.

    from sitr.web import mount
    mount(app)  # after sitr.api.app.create_app(services); pages under /console

Server-rendered (Jinja2, plain forms, a little vanilla JavaScript for keyboard shortcuts), every asset in
the package, interface in Arabic (right to left), French and English.
"""

from sitr.web.app import mount

__all__ = ["mount"]

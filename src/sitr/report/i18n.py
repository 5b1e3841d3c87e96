"""The report's interface strings in Arabic, French and English (figures and codes are never translated)."""

from __future__ import annotations

LANGS: tuple[str, ...] = ("en", "fr", "ar")
RTL: frozenset[str] = frozenset({"ar"})

STRINGS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Transparency report",
        "fr": "Rapport de transparence",
        "ar": "تقرير الشفافية",
    },
    "period": {"en": "Period", "fr": "Période", "ar": "الفترة"},
    "scope": {"en": "Scope", "fr": "Périmètre", "ar": "النطاق"},
    "generated": {"en": "Generated", "fr": "Produit le", "ar": "تاريخ الإصدار"},
    "key_figures": {"en": "Key figures", "fr": "Chiffres clés", "ar": "الأرقام الرئيسية"},
    "items_assessed": {"en": "Items assessed", "fr": "Contenus évalués", "ar": "المحتويات المُقيَّمة"},
    "items_actioned": {"en": "Items actioned", "fr": "Contenus sanctionnés", "ar": "المحتويات التي اتُّخذ بشأنها إجراء"},
    "proactive_rate": {"en": "Found by sitr first", "fr": "Détectés d'abord par sitr", "ar": "اكتشفها sitr أولاً"},
    "automated_share": {"en": "Decided automatically", "fr": "Décidés automatiquement", "ar": "قرارات آلية"},
    "human_share": {"en": "Decided by people", "fr": "Décidés par des personnes", "ar": "قرارات بشرية"},
    "median_tta": {"en": "Median time to action", "fr": "Délai médian d'action", "ar": "الوقت الوسيط حتى الإجراء"},
    "p90_tta": {"en": "90th percentile time to action", "fr": "Délai d'action (90e centile)",
                "ar": "الوقت حتى الإجراء (المئين 90)"},
    "flags_received": {"en": "User flags", "fr": "Signalements", "ar": "بلاغات المستخدمين"},
    "flag_uphold_rate": {"en": "Flags upheld", "fr": "Signalements confirmés", "ar": "البلاغات المؤكَّدة"},
    "escalations_received": {"en": "Partner escalations", "fr": "Alertes des partenaires", "ar": "تصعيدات الشركاء"},
    "escalation_response": {"en": "Median partner response", "fr": "Réponse médiane aux partenaires",
                            "ar": "الوقت الوسيط للرد على الشركاء"},
    "appeals_received": {"en": "Appeals", "fr": "Recours", "ar": "الطعون"},
    "overturn_rate": {"en": "Overturn rate", "fr": "Taux d'annulation", "ar": "نسبة إلغاء القرارات"},
    "targets_notified": {
        "en": "Targets notified",
        "fr": "Personnes visées informées",
        "ar": "الأشخاص المستهدفون المُبلَّغون",
    },
    "by_threat": {"en": "By threat", "fr": "Par menace", "ar": "حسب نوع التهديد"},
    "by_country": {"en": "By country", "fr": "Par pays", "ar": "حسب البلد"},
    "by_language": {"en": "By language and variety", "fr": "Par langue et variété", "ar": "حسب اللغة واللهجة"},
    "investment": {"en": "Investment in safety", "fr": "Moyens consacrés à la sécurité", "ar": "الاستثمار في السلامة"},
    "investment_note": {
        "en": "Reviewer-hours set against the harm found in each language: an index below 1 means a language "
        "gets less reviewer time per harmful item than average, i.e. it is under-served.",
        "fr": "Heures de modération rapportées aux contenus nuisibles de chaque langue : un indice inférieur à 1 "
        "signifie qu'une langue reçoit moins de temps de modération que la moyenne, elle est donc mal servie.",
        "ar": "ساعات المراجعة مقارنةً بحجم الأذى في كل لغة: مؤشر أقل من 1 يعني أن اللغة تحصل على وقت مراجعة "
        "أقل من المتوسط لكل محتوى ضار، أي أنها لا تحظى بخدمة كافية.",
    },
    "accuracy": {"en": "Accuracy of automated detection", "fr": "Exactitude de la détection automatique",
                 "ar": "دقة الكشف الآلي"},
    "accuracy_note": {
        "en": "Estimated on cases people reviewed, with 95% Wilson intervals. Reviewed cases are not a random "
        "sample: treat these as indicators, not exact error rates.",
        "fr": "Estimée sur les cas examinés par des personnes, avec intervalles de Wilson à 95 %. Ces cas ne sont "
        "pas un échantillon aléatoire : ce sont des indicateurs, pas des taux d'erreur exacts.",
        "ar": "تقدير مبني على الحالات التي راجعها أشخاص، مع فترات ويلسون بثقة 95٪. هذه الحالات ليست عيّنة "
        "عشوائية: هي مؤشرات وليست معدلات خطأ دقيقة.",
    },
    "privacy": {"en": "Privacy protection", "fr": "Protection de la vie privée", "ar": "حماية الخصوصية"},
    "privacy_note": {
        "en": "Counts below {threshold} are not shown (—), nor are the counts that would let anyone work them "
        "out from totals. No identifiers of any person are in this report.",
        "fr": "Les effectifs inférieurs à {threshold} ne sont pas affichés (—), ni ceux qui permettraient de les "
        "retrouver à partir des totaux. Ce rapport ne contient aucun identifiant de personne.",
        "ar": "لا تُعرض الأعداد الأقل من {threshold} (—)، ولا الأعداد التي قد تسمح باستنتاجها من المجاميع. "
        "لا يتضمن هذا التقرير أي معرّف لأي شخص.",
    },
    "noise_note": {
        "en": "Counts carry random differential-privacy noise (epsilon {epsilon}).",
        "fr": "Les effectifs sont bruités (confidentialité différentielle, epsilon {epsilon}).",
        "ar": "أُضيف إلى الأعداد تشويش عشوائي للخصوصية التفاضلية (إبسيلون {epsilon}).",
    },
    "santa_clara": {"en": "Santa Clara Principles numbers", "fr": "Chiffres des Principes de Santa Clara",
                    "ar": "أرقام مبادئ سانتا كلارا"},
    "lang": {"en": "Language", "fr": "Langue", "ar": "اللغة"},
    "variety": {"en": "Variety", "fr": "Variété", "ar": "اللهجة"},
    "threat": {"en": "Threat", "fr": "Menace", "ar": "التهديد"},
    "country": {"en": "Country", "fr": "Pays", "ar": "البلد"},
    "decisions": {"en": "Decisions", "fr": "Décisions", "ar": "القرارات"},
    "shift_hours": {"en": "Reviewer-hours", "fr": "Heures de modération", "ar": "ساعات المراجعة"},
    "decisions_per_hour": {"en": "Decisions per hour", "fr": "Décisions par heure", "ar": "قرارات في الساعة"},
    "backlog": {"en": "Backlog", "fr": "En attente", "ar": "المتراكم"},
    "deadline_misses": {"en": "Deadlines missed", "fr": "Délais dépassés", "ar": "مهل متجاوزة"},
    "harm_items": {"en": "Harmful items", "fr": "Contenus nuisibles", "ar": "المحتويات الضارة"},
    "capacity_index": {"en": "Capacity index", "fr": "Indice de capacité", "ar": "مؤشر القدرة"},
    "underserved": {"en": "under-served", "fr": "mal servie", "ar": "خدمة غير كافية"},
    "precision": {"en": "Precision", "fr": "Précision", "ar": "الدقة"},
    "recall": {"en": "Recall", "fr": "Rappel", "ar": "الاستدعاء"},
    "reviewed": {"en": "Reviewed", "fr": "Examinés", "ar": "المُراجَعة"},
    "total": {"en": "All", "fr": "Tous", "ar": "الكل"},
    "hours": {"en": "h", "fr": "h", "ar": "س"},
    "suppressed": {"en": "not shown", "fr": "non affiché", "ar": "غير معروض"},
    "harassment": {"en": "harassment", "fr": "harcèlement", "ar": "المضايقة"},
    "outing": {"en": "outing", "fr": "outing", "ar": "كشف الميول"},
    "doxxing": {"en": "doxxing", "fr": "doxxing", "ar": "نشر البيانات الشخصية"},
    "extortion": {"en": "extortion", "fr": "extorsion", "ar": "الابتزاز"},
    "entrapment": {"en": "entrapment", "fr": "guet-apens", "ar": "الاستدراج"},
    "none": {"en": "no threat", "fr": "aucune menace", "ar": "لا تهديد"},
    "other": {"en": "other", "fr": "autre", "ar": "أخرى"},
}


def t(key: str, lang: str, **values: object) -> str:
    """The string `key` in `lang` (English when missing), with {placeholders} filled."""
    table = STRINGS.get(key)
    if table is None:
        return key
    text = table.get(lang) or table["en"]
    return text.format(**values) if values else text

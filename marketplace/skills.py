"""Labels of the skills the coop knows, in the reader's language.

Skills are stored data (people type them), so a Dutch page would show "Translation" as typed. The
skills listed here, by their slug, get a translatable label; any other skill shows its stored name.
"""

from django.utils.translation import gettext_lazy as _

KNOWN_SKILLS = {
    "accessibility": _("Accessibility"),
    "branding": _("Branding"),
    "copywriting": _("Copywriting"),
    "data-engineering": _("Data engineering"),
    "graphic-design": _("Graphic design"),
    "illustration": _("Illustration"),
    "photography": _("Photography"),
    "project-management": _("Project management"),
    "translation": _("Translation"),
    "ux-research": _("UX research"),
    "web-design": _("Web design"),
    "bookkeeping": _("Bookkeeping"),
    "video-editing": _("Video editing"),
    "social-media": _("Social media"),
}


def skill_label(slug: str, name: str) -> str:
    """The skill's label in the active language, or its stored name when the coop has no label for it."""
    label = KNOWN_SKILLS.get(slug)
    return str(label) if label is not None else name

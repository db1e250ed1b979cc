"""Print the rules and policies the members decided, each version with when it applies and the decision
that set it: voting rules per family, project acceptance, minimum rates, ranking weights, the fee.

Each app registers its rules with core.decisions.register_rules_report; `--json` prints one object
keyed by report ("rules", "project_acceptance", "minimum_rates", "ranking", "fee_policy").
"""

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from core.decisions import rules_reports

# The order the coop reads them in: how it decides, then what it decided about the work, then the fee.
ORDER = ["rules", "project_acceptance", "minimum_rates", "ranking", "fee_policy"]


class Command(BaseCommand):
    help = "Show the rules and policies in force, their versions and the decisions that set them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")

    def handle(self, *args: Any, **options: Any) -> None:
        ordered = sorted(rules_reports(), key=lambda r: (ORDER.index(r.key) if r.key in ORDER else len(ORDER), r.key))
        reports = {report.key: (report.label, report.versions()) for report in ordered}
        if options["json"]:
            data = {key: {"label": str(label), "versions": versions} for key, (label, versions) in reports.items()}
            self.stdout.write(json.dumps(data, indent=2, cls=DjangoJSONEncoder, ensure_ascii=False))
            return
        for key, (label, versions) in reports.items():
            self.stdout.write(self.style.MIGRATE_HEADING(f"{label} ({key})"))
            if not versions:
                self.stdout.write("  none yet")
            for version in versions:
                family = f"{version['family']} " if "family" in version else ""
                mark = "in force" if version.get("in_force") else "not in force"
                decided = f"decision {version['decided_by']}" if version.get("decided_by") else "no decision (founding)"
                until = f" until {version['valid_until']}" if version.get("valid_until") else ""
                self.stdout.write(
                    f"  {family}v{version['version']} from {version.get('valid_from')}{until}, {mark}, {decided}"
                )
                terms = json.dumps(version.get("terms", {}), cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
                self.stdout.write(f"    {terms}")

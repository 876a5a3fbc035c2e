"""`manage.py verify_audit`: recompute every audit chain; name the first broken entry of each.

Exit code 0 when every chain is whole, 1 otherwise (for cron and monitoring). The heads it prints
can be written down elsewhere: a later run that prints different heads for the same places means
the whole chain was rewritten.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from platform_site.audit import AuditChainHead, verify_all


class Command(BaseCommand):
    help = "監査記録のハッシュチェーンを検証し、最初に壊れている記録を示します。"

    def handle(self, *args: Any, **options: Any) -> None:
        results = verify_all()
        heads = {h.chain: h for h in AuditChainHead.objects.all()}
        broken = 0
        for key, problem in results.items():
            head = heads.get(key)
            where = f"chain {key} (platform {key})" if key else "chain 0 (no platform)"
            if problem is None:
                place = head.seq if head else 0
                digest = head.head_hash if head else ""
                self.stdout.write(f"OK {where}: {place} entries, head {digest}")
            else:
                broken += 1
                self.stdout.write(f"BROKEN {where}: {problem}")
        if broken:
            raise CommandError(f"{broken} audit chain(s) broken", returncode=1)
        self.stdout.write(f"all {len(results)} audit chain(s) verified")

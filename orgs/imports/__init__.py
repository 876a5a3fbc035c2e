"""The registry's Excel/CSV import, one job a module:

- `service`: `import_plan` (the preview: a dry run) and `import_apply` (save all or nothing);
- `resource`: `OrganisationImport`, the registry's Resource with its import hooks (the entry point);
- `match`: the platform's registry as it is (`Existing`), the names rows may use (`Lookups`), which
  organisation a row means (`Matcher`, the instance loader);
- `checks`: the rules of a row beyond its cells, and the field diff it makes;
- `periods`: the second sheet (earlier membership periods) and the periods each row ends with,
  checked by the pipeline's rules (`orgs.pipeline`);
- `save`: the save step — bulk writes and one history row per organisation;
- `preview`: the result sorted into new, changed and unchanged rows, for the screen and the command.

Reading the file is `platform_site.lib.formats`; reading each cell, the columns' widgets
(`orgs.resources`, `platform_site.lib.columns`, `platform_site.lib.cells`).
"""

from platform_site.lib.tabular import ImportRejected

from .preview import ImportResult, changed_columns, plan_summary
from .service import import_apply, import_plan

ImportPlan = ImportResult  # the name the command and views used before the Resource

__all__ = [
    "ImportPlan",
    "ImportRejected",
    "ImportResult",
    "changed_columns",
    "import_apply",
    "import_plan",
    "plan_summary",
]

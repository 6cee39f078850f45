"""Data migrations run against the models as they were (``apps.get_model``): importing app code,
which changes later, would make an old migration do today's thing, or fail. (Django's own
``import ancrage.<app>.models`` for a field's validator or a model's manager is a reference the
autodetector writes and maintains, not code run by the migration.)"""

from pathlib import Path

import ancrage


def test_no_migration_imports_app_code():
    offenders = [
        str(path.relative_to(Path(ancrage.__file__).parent))
        for path in Path(ancrage.__file__).parent.glob("*/migrations/*.py")
        if "from ancrage" in path.read_text()
    ]
    assert offenders == []

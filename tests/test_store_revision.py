"""One store revision: ``Store.revision`` changes with every write and with nothing else."""
from __future__ import annotations

import datetime as dt

from metrics.store import Store
from tests.store_fixtures import content_of, make_result


def test_revision_changes_with_every_write_and_not_on_reads(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'tracker.sqlite'}")
    seen = [store.revision()]
    assert seen == ["0:0"]  # an empty store: no audit row yet
    first = make_result(names=["A"])
    sub = store.save_submission(first, content_of(first), first.file, uploader="张三").submission_id
    seen.append(store.revision())
    later = make_result(names=["A", "B"], as_of=dt.date(2025, 9, 30))
    store.save_submission(later, content_of(later), later.file, uploader="张三")
    seen.append(store.revision())
    store.history(), store.dataset()
    assert store.revision() == seen[-1]  # reading changes nothing
    store.delete(sub, actor="李四")
    seen.append(store.revision())
    store.restore(sub, actor="李四")
    seen.append(store.revision())
    assert len(set(seen)) == 5

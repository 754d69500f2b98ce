from __future__ import annotations

import json
import pickle
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backup_sdk.errors import BackupSDKError, ResponseDecodeError
from backup_sdk.models import (
    ModelConverter,
    OpenIntEnum,
    OpenStrEnum,
    UnixTime,
    WireModel,
    model,
    to_record,
    wire,
    wire_name,
)


class JobStatus(OpenIntEnum):
    SUCCESS = 5000
    RUNNING = 6001
    FAILED = 7000


class Kind(OpenStrEnum):
    BACKUP = "backup"
    RESTORE = "restore"


@model
class Entry(WireModel):
    time: UnixTime | None = wire("Time", default=None)
    severity: str = wire("Severity", default="I")


@model
class Job(WireModel):
    guid: str = wire("GUID")
    status: JobStatus = wire("Status", default=JobStatus.SUCCESS)
    kind: Kind = wire("Kind", default=Kind.BACKUP)
    received: UnixTime | None = wire("RecievedTime", default=None)
    size: int = wire("TotalSize", default=0)
    ratio: float = wire("Ratio", default=0.0)
    done: bool = wire("Done", default=False)
    tags: list[str] = wire("Tags", factory=list)
    entries: list[Entry] = wire("Entries", factory=list)
    by_id: dict[int, str] = wire("ByID", factory=dict)
    note: str | None = wire("note", default=None)
    key: str = wire("EncryptionKey", default="", secret=True)


conv = ModelConverter("test_sdk")


def test_wire_names_are_explicit() -> None:
    assert wire_name(Job, "received") == "RecievedTime"
    assert wire_name(Job, "note") == "note"
    with pytest.raises(AttributeError):
        wire_name(Job, "nope")


def test_round_trip_keeps_unknown_fields_at_every_level() -> None:
    payload = {
        "GUID": "g-1",
        "Status": 5000,
        "Kind": "backup",
        "RecievedTime": 1_700_000_000,
        "TotalSize": 10,
        "Ratio": 0.5,
        "Done": True,
        "Tags": ["a"],
        "Entries": [{"Time": 1_700_000_100, "Severity": "E", "NewField": {"x": []}}],
        "ByID": {"3": "three"},
        "note": None,
        "EncryptionKey": "k",
        "RetryCount": 2,
        "ConflictingJobID": "",
        "Empty": {},
        "EmptyList": [],
    }
    job = conv.structure(payload, Job)
    assert job.extra_fields == {
        "RetryCount": 2,
        "ConflictingJobID": "",
        "Empty": {},
        "EmptyList": [],
    }
    assert job.entries[0].extra_fields == {"NewField": {"x": []}}
    out = conv.unstructure(job)
    assert json.loads(json.dumps(out)) == {**payload, "ByID": {"3": "three"}}
    assert out["Empty"] == {} and out["EmptyList"] == [], "{} and [] stay distinct"


def test_unknown_enum_values_survive() -> None:
    job = conv.structure({"GUID": "g", "Status": 6003, "Kind": "archive"}, Job)
    assert job.status == 6003
    assert job.status.is_unknown
    assert job.status.name == "UNKNOWN_6003"
    assert job.kind == "archive"
    assert job.kind.is_unknown
    assert not JobStatus.SUCCESS.is_unknown
    assert JobStatus(6003) is job.status
    assert list(JobStatus) == [JobStatus.SUCCESS, JobStatus.RUNNING, JobStatus.FAILED]
    out = conv.unstructure(job)
    assert out["Status"] == 6003 and out["Kind"] == "archive"
    assert pickle.loads(pickle.dumps(job.status)) is job.status


def test_missing_fields_take_defaults_and_null_collections_are_empty() -> None:
    job = conv.structure({"GUID": "g", "Tags": None, "Entries": None, "ByID": None}, Job)
    assert job.tags == [] and job.entries == [] and job.by_id == {}
    assert job.received is None
    assert job.status is JobStatus.SUCCESS


def test_unix_time_is_aware_utc_and_keeps_raw() -> None:
    job = conv.structure({"GUID": "g", "RecievedTime": 1_600_000_000}, Job)
    assert job.received is not None
    assert job.received.tzinfo is timezone.utc
    assert job.received == datetime(2020, 9, 13, 12, 26, 40, tzinfo=timezone.utc)
    assert job.received.raw == 1_600_000_000
    assert job.received + timedelta(seconds=1) > job.received
    assert pickle.loads(pickle.dumps(job.received)).raw == 1_600_000_000
    assert conv.structure({"GUID": "g", "RecievedTime": 0}, Job).received is None


def test_time_units_by_magnitude_and_string_raw_kept() -> None:
    base = datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    for raw in (1_700_000_000, 1_700_000_000_000, 1_700_000_000_000_000, "1700000000000000000"):
        assert UnixTime.from_raw(raw, auto_units=True) == base
    text = UnixTime.from_raw("1700000000.250000")
    assert text.raw == "1700000000.250000"
    assert text.microsecond == 250_000
    appliance = ModelConverter("x", auto_time_units=True)
    entry = appliance.structure({"Time": "1700000000000"}, Entry)
    assert entry.time == base
    assert appliance.unstructure(entry)["Time"] == "1700000000000"
    assert pickle.loads(pickle.dumps(entry.time)).raw == "1700000000000"
    with pytest.raises(ValueError, match="epoch"):
        UnixTime.from_raw("yesterday")


def test_zero_time_means_never_and_encodes_back_to_zero() -> None:
    job = conv.structure({"GUID": "g", "RecievedTime": 0}, Job)
    assert conv.unstructure(job)["RecievedTime"] == 0


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        UnixTime.from_datetime(datetime(2020, 1, 1))


@pytest.mark.parametrize(
    ("payload", "path", "fragment"),
    [
        ({"GUID": "g", "TotalSize": 3.5}, "$.TotalSize", "lose the fraction"),
        ({"GUID": "g", "TotalSize": True}, "$.TotalSize", "boolean"),
        ({"GUID": "g", "TotalSize": "12"}, "$.TotalSize", "integer"),
        ({"GUID": "g", "Done": "false"}, "$.Done", "true/false"),
        ({"GUID": "g", "Tags": "abc"}, "$.Tags", "expected a list"),
        ({"GUID": "g", "Entries": [{}, {"Time": "soon"}]}, "$.Entries[1].Time", "epoch"),
        ({"GUID": "g", "ByID": {"x": "y"}}, "$.ByID", "integer keys"),
        ({"GUID": ["x"]}, "$.GUID", "expected a string"),
        ({}, "$.GUID", "required field is missing"),
        ([], "$", "expected an object"),
        ({"GUID": "g", "Status": "abc"}, "$.Status", "not a valid JobStatus"),
        ({"GUID": "g", "RecievedTime": 10**20}, "$.RecievedTime", "out of range"),
    ],
)
def test_decode_errors_name_the_wire_path(payload: Any, path: str, fragment: str) -> None:
    with pytest.raises(ResponseDecodeError) as info:
        conv.structure(payload, Job)
    assert info.value.path == path
    assert info.value.model == "Job"
    assert fragment in str(info.value)


def test_numbers_where_strings_are_expected_are_kept_as_text() -> None:
    assert conv.structure({"GUID": 12345}, Job).guid == "12345"


def test_decode_error_excerpt_is_redacted() -> None:
    with pytest.raises(ResponseDecodeError) as info:
        conv.structure({"GUID": "g", "EncryptionKey": "super-secret-key", "TotalSize": "x"}, Job)
    assert "super-secret-key" not in str(info.value)
    assert "super-secret-key" not in (info.value.excerpt or "")


def test_numeric_strings_when_the_vendor_sends_them() -> None:
    lenient = ModelConverter("cove_like", numeric_strings=True)
    job = lenient.structure(
        {"GUID": "g", "TotalSize": "586755749630", "Ratio": "0.25", "Done": "1"}, Job
    )
    assert job.size == 586_755_749_630
    assert job.ratio == 0.25
    assert job.done is True
    with pytest.raises(ResponseDecodeError):
        lenient.structure({"GUID": "g", "TotalSize": "12.5"}, Job)


def test_secret_fields_are_hidden_in_repr() -> None:
    job = conv.structure({"GUID": "g", "EncryptionKey": "k3y-material"}, Job)
    assert "k3y-material" not in repr(job)
    assert job.key == "k3y-material"


def test_structure_list_and_records() -> None:
    assert conv.structure_list(None, Job) == []
    jobs = conv.structure_list([{"GUID": "a"}, {"GUID": "b"}], Job)
    assert [j.guid for j in jobs] == ["a", "b"]
    record = to_record(jobs[0])
    assert record["guid"] == "a" and "extra_fields" not in record


def test_register_applies_to_both_converters() -> None:
    local = ModelConverter("x")
    local.register(lambda c: c.register_structure_hook(complex, lambda v, _: complex(v)))
    assert local.structure("1+2j", complex) == complex(1, 2)
    with pytest.raises(ResponseDecodeError):
        local.structure("zz", complex)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "GUID",
                "Status",
                "Kind",
                "RecievedTime",
                "TotalSize",
                "Ratio",
                "Done",
                "Tags",
                "Entries",
                "ByID",
                "note",
                "Other",
            ]
        ),
        json_values,
    )
    | json_values
)
def test_any_payload_decodes_or_raises_a_backup_sdk_error(payload: Any) -> None:
    try:
        conv.structure(payload, Job)
    except BackupSDKError:
        pass


@model
class Base(WireModel):
    kind: str = wire("kind")


@model
class Special(Base):
    extra: int = wire("extra", default=0)


@model
class Holder(WireModel):
    item: Base = wire("item")


def test_a_subclass_in_a_base_typed_field_encodes_whole() -> None:
    holder = Holder(item=Special(kind="s", extra=5))
    assert conv.unstructure(holder) == {"item": {"kind": "s", "extra": 5}}


@model
class Clause(WireModel):
    kind: str = wire("ClauseType", default="")
    children: list[Clause] = wire("ClauseChildren", factory=list)


def test_self_referencing_models_round_trip() -> None:
    data = {"ClauseType": "and", "ClauseChildren": [{"ClauseType": "leaf", "ClauseChildren": []}]}
    clause = conv.structure(data, Clause)
    assert clause.children[0].kind == "leaf"
    assert conv.unstructure(clause) == data


@model
class FreshLeaf(WireModel):
    when: UnixTime | None = wire("When", default=None)


@model
class FreshTree(WireModel):
    leaves: list[FreshLeaf] = wire("Leaves", factory=list)
    at: UnixTime | None = wire("At", default=None)


def test_a_model_built_in_code_encodes_before_anything_was_decoded() -> None:
    tree = FreshTree(leaves=[FreshLeaf(when=UnixTime.from_raw(5))], at=UnixTime.from_raw(7))
    assert ModelConverter("fresh").unstructure(tree) == {"Leaves": [{"When": 5}], "At": 7}


# -- wire fidelity: bytes, int-valued floats, nulls for nested models, far-future times -------


@model
class Blob(WireModel):
    data: bytes = wire("Data", default=b"")
    entry: Entry = wire("Entry", factory=Entry)
    ratio: float = wire("Ratio", default=0.0)


@pytest.mark.parametrize(
    ("wire_value", "expected"),
    [([1, 2, 255], b"\x01\x02\xff"), ("AQL/", b"\x01\x02\xff"), ([], b""), ("", b"")],
)
def test_bytes_decode_from_either_form_and_encode_back_in_it(
    wire_value: Any, expected: bytes
) -> None:
    blob = conv.structure({"Data": wire_value}, Blob)
    assert blob.data == expected
    assert conv.unstructure(blob)["Data"] == wire_value


def test_bytes_set_in_code_are_base64_and_null_stays_null() -> None:
    assert conv.unstructure(Blob(data=b"\x01\x02\xff"))["Data"] == "AQL/"
    assert conv.unstructure(conv.structure({"Data": None}, Blob))["Data"] is None
    restored = pickle.loads(pickle.dumps(conv.structure({"Data": [7, 8]}, Blob)))
    assert conv.unstructure(restored)["Data"] == [7, 8]


@pytest.mark.parametrize("bad", ["not base64!", [1, 256], [1, "2"], {"a": 1}, 3])
def test_bytes_that_are_neither_form_name_the_field(bad: Any) -> None:
    with pytest.raises(ResponseDecodeError) as info:
        conv.structure({"Data": bad}, Blob)
    assert info.value.path == "$.Data"


def test_a_float_sent_as_an_integer_is_written_back_as_one() -> None:
    blob = conv.structure({"Ratio": 50}, Blob)
    assert blob.ratio == 50.0
    assert json.dumps(conv.unstructure(blob)["Ratio"]) == "50"
    assert json.dumps(conv.unstructure(conv.structure({"Ratio": 50.5}, Blob))["Ratio"]) == "50.5"
    assert json.dumps(conv.unstructure(conv.structure({"Ratio": 50.0}, Blob))["Ratio"]) == "50.0"


def test_null_for_a_nested_model_is_its_default_and_stays_null() -> None:
    blobs = conv.structure([{"Entry": None}, {"Entry": {"Severity": "E"}}], list[Blob])
    assert blobs[0].entry == Entry()
    assert blobs[1].entry.severity == "E"
    assert conv.unstructure(blobs[0])["Entry"] is None, "an untouched default goes back as null"
    blobs[0].entry.severity = "W"
    assert conv.unstructure(blobs[0])["Entry"] == {"Time": 0, "Severity": "W"}


@model
class JobHolder(WireModel):
    job: Job = wire("Job", factory=lambda: Job(guid=""))


def test_null_for_a_model_with_required_fields_is_still_an_error() -> None:
    with pytest.raises(ResponseDecodeError) as info:
        conv.structure({"Job": None}, JobHolder)
    assert info.value.path == "$.Job"
    with pytest.raises(ResponseDecodeError, match="expected an object for Job"):
        conv.structure(None, Job)
    assert conv.structure({"GUID": "g", "Entries": [None]}, Job).entries == [Entry()]


@pytest.mark.parametrize("seconds", [253_402_300_800, 10**15, -(10**13)])
def test_a_time_beyond_the_datetime_range_names_its_field(seconds: int) -> None:
    for payload, cls, path in (
        ({"GUID": "g", "RecievedTime": seconds}, Job, "$.RecievedTime"),
        ([{"GUID": "g"}, {"GUID": "h", "RecievedTime": seconds}], list[Job], "$[1].RecievedTime"),
        ({"GUID": "g", "Entries": [{"Time": seconds}]}, Job, "$.Entries[0].Time"),
        ({"x": {"Time": seconds}}, dict[str, Entry], "$['x'].Time"),
    ):
        with pytest.raises(ResponseDecodeError) as info:
            conv.structure(payload, cls)
        assert info.value.path == path
        assert "out of range" in str(info.value)

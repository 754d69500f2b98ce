"""The Comet 25.9.6 spec extracted from the Go SDK: counts, facts checked by hand, the parser.

These tests read only the committed spec and Go text written here, so they run without the Go
SDK. The last test re-extracts from the Go SDK mirror when it is present.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tools import comet_go_spec as go_spec
from tools.comet_spec import SAFE_NAME

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "comet_sdk" / "spec" / "comet_api_25.9.6.json"
SPEC_TEXT = SPEC_PATH.read_text(encoding="utf-8")
SPEC: dict[str, Any] = json.loads(SPEC_TEXT)
MIRROR = Path("/work/.mirror/CometBackup+comet-go-sdk/repo")

METHODS = {m["name"]: m for m in SPEC["methods"]}
STRUCTURES = {s["name"]: s for s in SPEC["structures"]}
CONSTANTS = {c["name"]: c for g in SPEC["constant_groups"] for c in g["constants"]}
GROUP_OF = {c["name"]: g["name"] for g in SPEC["constant_groups"] for c in g["constants"]}


def _fields(structure: str) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in STRUCTURES[structure]["fields"]}


def _params(method: str) -> list[tuple[str, str, bool, bool]]:
    return [(p["name"], p["type"], p["optional"], p["json"]) for p in METHODS[method]["params"]]


# -- (a) counts ------------------------------------------------------------------------------


def test_counts_block_matches_the_content() -> None:
    counts = SPEC["counts"]
    assert counts == {
        "methods": len(SPEC["methods"]),
        "structures": len(SPEC["structures"]),
        "constant_groups": len(SPEC["constant_groups"]),
        "constants": sum(len(g["constants"]) for g in SPEC["constant_groups"]),
    }
    assert counts == {"methods": 247, "structures": 249, "constant_groups": 69, "constants": 401}
    assert Counter(m["auth"] for m in SPEC["methods"]) == {
        "admin": 172,
        "admin_optional": 15,
        "user": 57,
        "hybrid": 1,
        "public": 2,
    }
    assert SPEC["version"] == "25.9.6"
    assert CONSTANTS["APPLICATION_VERSION"]["value"] == "25.9.6"
    assert SPEC["undefined_structures"] == []
    assert len(METHODS) == len(SPEC["methods"])
    assert len(STRUCTURES) == len(SPEC["structures"])
    assert len(CONSTANTS) == counts["constants"]


def test_schema_matches_the_20_9_12_spec() -> None:
    old = json.loads((ROOT / "comet_sdk" / "spec" / "comet_api_20.9.12.json").read_text("utf-8"))
    assert set(old) <= set(SPEC)
    for new_items, old_items in (
        (SPEC["methods"], old["methods"]),
        (SPEC["structures"], old["structures"]),
        (
            [p for m in SPEC["methods"] for p in m["params"]],
            [p for m in old["methods"] for p in m["params"]],
        ),
        (
            [f for s in SPEC["structures"] for f in s["fields"]],
            [f for s in old["structures"] for f in s["fields"]],
        ),
        (
            [c for g in SPEC["constant_groups"] for c in g["constants"]],
            [c for g in old["constant_groups"] for c in g["constants"]],
        ),
    ):
        old_keys = set().union(*(set(item) for item in old_items))
        for item in new_items:
            assert old_keys <= set(item), sorted(old_keys - set(item))


def test_committed_file_is_rendered_deterministically() -> None:
    assert go_spec.render(SPEC) == SPEC_TEXT
    assert SPEC_TEXT.endswith("}\n")


def test_no_prose_is_carried_over() -> None:
    for m in SPEC["methods"]:
        assert m["summary"] == m["description"] == ""
        assert all(p["description"] == "" for p in m["params"])
    for s in SPEC["structures"]:
        assert all(f["comment"] == "" and f["omitted_default"] is None for f in s["fields"])
    assert all(c["comment"] == "" for c in CONSTANTS.values())


TYPE = re.compile(
    r"^(string|int|bool|float32|float64|any|List<byte>|List<.+>|Dictionary<.+, .+>|\w+)$"
)


def _type_ok(spec_type: str) -> bool:
    if spec_type.startswith("List<") and spec_type != "List<byte>":
        return _type_ok(spec_type[5:-1])
    if spec_type.startswith("Dictionary<"):
        key, _, value = spec_type[11:-1].partition(", ")
        return key in ("string", "int") and _type_ok(value)
    return bool(TYPE.match(spec_type)) and (
        spec_type in ("string", "int", "bool", "float32", "float64", "any", "List<byte>")
        or spec_type in STRUCTURES
    )


def test_every_type_is_in_the_20_9_12_spelling() -> None:
    types = [f["type"] for s in SPEC["structures"] for f in s["fields"]]
    types += [p["type"] for m in SPEC["methods"] for p in m["params"]]
    types += [m["returns"]["type"] for m in SPEC["methods"] if "type" in m["returns"]]
    bad = sorted({t for t in types if not _type_ok(t)})
    assert bad == []
    assert "float32" in types
    assert "List<byte>" in types


# -- (b) facts read in the Go source -----------------------------------------------------------


def test_protected_item_methods() -> None:
    get = METHODS["AdminGetProtectedItemWithBackupRules"]
    assert get["path"] == "/api/v1/admin/get-protected-item-with-backup-rules"
    assert _params("AdminGetProtectedItemWithBackupRules") == [
        ("TargetUser", "string", False, False),
        ("SourceID", "string", False, False),
    ]
    assert get["returns"] == {"kind": "json", "type": "ProtectedItemWithBackupRulesResponse"}
    assert (get["auth"], get["safe"], get["http_method"]) == ("admin", True, "POST")

    put = METHODS["AdminSetProtectedItemWithBackupRules"]
    assert put["path"] == "/api/v1/admin/set-protected-item-with-backup-rules"
    assert _params("AdminSetProtectedItemWithBackupRules") == [
        ("TargetUser", "string", False, False),
        ("SourceID", "string", False, False),
        ("RequireHash", "string", True, False),
        ("Source", "SourceConfig", True, True),
        ("BackupRules", "Dictionary<string, BackupRuleConfig>", True, True),
    ]
    assert [p["go_type"] for p in put["params"]][2:] == [
        "*string",
        "*SourceConfig",
        "map[string]BackupRuleConfig",
    ]
    assert put["returns"] == {"kind": "message", "type": "CometAPIResponseMessage"}
    assert put["safe"] is False

    delete = METHODS["AdminDeleteProtectedItem"]
    assert delete["path"] == "/api/v1/admin/delete-protected-item"
    assert _params("AdminDeleteProtectedItem") == [
        ("TargetUser", "string", False, False),
        ("SourceID", "string", False, False),
    ]
    assert delete["returns"]["kind"] == "message"

    response = _fields("ProtectedItemWithBackupRulesResponse")
    assert list(response) == ["Status", "Message", "Source", "BackupRules", "ProfileHash"]
    assert response["BackupRules"]["omitempty"] is True


def test_count_jobs_for_custom_search() -> None:
    count = METHODS["AdminCountJobsForCustomSearch"]
    assert count["path"] == "/api/v1/admin/count-jobs-for-custom-search"
    assert _params("AdminCountJobsForCustomSearch") == [("Query", "SearchClause", False, True)]
    assert count["returns"] == {"kind": "json", "type": "CountJobsResponse"}
    assert count["safe"] is True
    assert [
        (f["name"], f["type"], f["go_type"]) for f in STRUCTURES["CountJobsResponse"]["fields"]
    ] == [("Count", "int", "int64")]


def test_job_status_constants() -> None:
    tryagain = CONSTANTS["JOB_STATUS_RUNNING_TRYAGAIN"]
    assert (tryagain["value"], tryagain["type"], tryagain["go_type"]) == (6003, "int", "JobStatus")
    assert GROUP_OF["JOB_STATUS_RUNNING_TRYAGAIN"] == "JobStatus"
    assert CONSTANTS["JOB_STATUS_NOT_YET_STARTED"]["value"] == 6004
    assert CONSTANTS["JOB_STATUS_FAILED_ABANDONED"]["value"] == 7007
    assert SPEC["named_types"]["JobStatus"] == "int"


def test_yearly_retention_ranges() -> None:
    yearly = CONSTANTS["RETENTIONRANGE_FIRST_JOB_FOR_LAST_X_YEARS"]
    assert (yearly["value"], yearly["go_type"]) == (911, "RetentionRangeType")
    assert CONSTANTS["RETENTIONRANGE_LAST_X_BACKUPS_ONE_FOR_EACH_YEAR"]["value"] == 910
    assert CONSTANTS["RETENTIONRANGE__HIGHEST"]["value"] == 911
    reserved = CONSTANTS["RETENTIONRANGE__RESERVED904"]
    assert (reserved["deprecated"], reserved["deprecated_since"]) == (True, "17.2.0")
    # an untyped constant with the same prefix is grouped by its prefix
    assert GROUP_OF["RETENTIONRANGE_MAXINT"] == "RETENTIONRANGE"


def test_backup_job_detail_newer_fields() -> None:
    fields = _fields("BackupJobDetail")
    assert "JobID" not in fields  # not a field of BackupJobDetail in 25.9.6
    assert (fields["BackupRuleGUID"]["since"], fields["BackupRuleGUID"]["omitempty"]) == (
        "24.6.6",
        True,
    )
    assert (fields["ConflictingJobID"]["since"], fields["ConflictingJobID"]["omitempty"]) == (
        "24.9.2",
        True,
    )
    assert (fields["Tags"]["type"], fields["Tags"]["omitempty"], fields["Tags"]["since"]) == (
        "string",
        True,
        None,
    )
    assert fields["Status"]["go_type"] == "JobStatus"
    assert fields["Classification"]["go_type"] == "JobClassification"
    assert fields["StartTime"]["unit"] == fields["EndTime"]["unit"] == "unix_seconds"
    assert fields["GUID"]["omitempty"] is False
    assert (fields["Progress"]["type"], fields["Progress"]["omitempty"]) == (
        "BackupJobProgress",
        True,
    )


def test_user_web_methods() -> None:
    user_web = [m for m in SPEC["methods"] if m["path"].startswith("/api/v1/user/web/")]
    assert len(user_web) == 56
    assert all(m["auth"] == "user" for m in user_web)
    assert METHODS["UserDispatcherEmailPreview"]["path"] == "/api/v1/user/dispatcher/email-preview"
    assert METHODS["UserDispatcherEmailPreview"]["auth"] == "user"
    search = METHODS["UserWebGetJobsForCustomSearch"]
    assert search["path"] == "/api/v1/user/web/get-jobs-for-custom-search"
    assert search["returns"] == {"kind": "json", "type": "List<BackupJobDetail>"}
    assert _params("UserWebGetJobsForCustomSearch") == [("Query", "SearchClause", False, True)]
    assert METHODS["UserWebDeleteProtectedItem"]["path"] == "/api/v1/user/web/delete-protected-item"
    assert _params("UserWebDeleteProtectedItem") == [("SourceID", "string", False, False)]
    assert METHODS["UserWebGetUserProfileAndHash"]["params"] == []
    assert METHODS["UserWebGetJobLog"]["returns"] == {"kind": "text", "content_type": "text/plain"}


def test_auth_kinds_follow_the_path() -> None:
    for m in SPEC["methods"]:
        if m["auth"] in ("admin", "admin_optional"):
            assert m["path"].startswith("/api/v1/admin/"), m["name"]
        elif m["auth"] == "user":
            assert m["path"].startswith("/api/v1/user/"), m["name"]
        elif m["auth"] == "hybrid":
            assert m["path"] == "/api/v1/hybrid/session/start"
    public = {m["name"]: m for m in SPEC["methods"] if m["auth"] == "public"}
    assert sorted(public) == ["AdminAddFirstAdminUser", "BrandingProps"]
    assert public["BrandingProps"]["http_method"] == "GET"
    assert public["BrandingProps"]["path"] == "/gen/branding.props"
    assert all(m["auth_params"] == [] for m in public.values())
    optional = [m["name"] for m in SPEC["methods"] if m["auth"] == "admin_optional"]
    assert all(
        n.startswith("AdminBrandingGenerateClient") or n == "AdminBrandingAvailablePlatforms"
        for n in optional
    )


def test_credentials_and_encodings() -> None:
    form = ["Username", "AuthType", "SessionKey", "Password", "TOTP"]
    upload = METHODS["AdminMetaResourceNew"]
    assert (upload["encoding"], upload["header_auth"]) == ("multipart/form-data", True)
    assert upload["auth_params"] == ["X-Comet-Admin-" + name for name in form]
    assert _params("AdminMetaResourceNew") == [("upload", "string", False, False)]
    others = [m for m in SPEC["methods"] if m["name"] != "AdminMetaResourceNew"]
    assert all(m["encoding"] == "application/x-www-form-urlencoded" for m in others)
    assert all(m["auth_params"] == form for m in others if m["auth"] != "public")
    assert all(m["aliases"] == [] and m["since"] is None for m in SPEC["methods"])


def test_parameter_facts() -> None:
    restore = METHODS["AdminDispatcherRunRestore"]
    paths = restore["params"][-1]
    assert (paths["name"], paths["type"], paths["optional"], paths["json"], paths["since"]) == (
        "Paths",
        "List<string>",
        True,
        True,
        "19.3.0",
    )
    assert restore["device_since"] == "17.9.3"
    assert restore["returns"] == {"kind": "json", "type": "DispatchWithJobIDResponse"}
    add_user = {p["name"]: p for p in METHODS["AdminAddUser"]["params"]}
    assert (add_user["StoreRecoveryCode"]["go_type"], add_user["StoreRecoveryCode"]["json"]) == (
        "*int",
        True,
    )
    assert add_user["TargetOrganization"]["since"] == "22.3.7"
    assert add_user["TargetPassword"]["secret"] is True
    dates = {p["name"]: p for p in METHODS["AdminGetJobsForDateRange"]["params"]}
    assert dates["Start"]["unit"] == dates["End"]["unit"] == "unix_seconds"


def test_return_shapes() -> None:
    assert METHODS["AdminMetaReadAllLogs"]["returns"]["kind"] == "binary"
    assert METHODS["AdminGetJobLog"]["returns"]["kind"] == "text"
    assert (
        METHODS["AdminDispatcherListActive"]["returns"]["type"]
        == "Dictionary<string, LiveUserConnection>"
    )
    assert METHODS["AdminNewsGetAll"]["returns"]["type"] == "Dictionary<string, NewsEntry>"
    assert METHODS["AdminMetaStats"]["returns"]["type"] == "Dictionary<int, StatResult>"
    kinds = Counter(m["returns"]["kind"] for m in SPEC["methods"])
    assert kinds == {"json": 141, "message": 86, "binary": 16, "text": 4}


def test_safe_follows_the_naming_rule_with_reviewed_exceptions() -> None:
    for m in SPEC["methods"]:
        rule = bool(SAFE_NAME.search(m["name"])) and m["returns"]["kind"] != "message"
        expected = go_spec.SAFE_OVERRIDES.get(m["name"], rule)
        assert m["safe"] is expected, m["name"]
    assert METHODS["AdminConstellationLastReport"]["safe"] is True
    assert METHODS["AdminConstellationNewReport"]["safe"] is False
    assert METHODS["UserWebSessionStart"]["safe"] is False


def test_secret_fields() -> None:
    secret = {
        (s["name"], f["name"]) for s in SPEC["structures"] for f in s["fields"] if f["secret"]
    }
    assert len(secret) == 99
    for pair in [
        ("UserProfileConfig", "PasswordHash"),
        ("UserProfileConfig", "TOTPKey"),
        ("UserProfileConfig", "PasswordRecovery"),
        ("AdminSecurityOptions", "Password"),
        ("SessionKeyRegeneratedResponse", "SessionKey"),
        ("TotpRegeneratedResponse", "URL"),
        ("DestinationLocation", "S3SecretKey"),
        ("SSHConnection", "SSHPrivateKey"),
        ("B2DestinationLocation", "Key"),
        ("LicenseOptions", "SerialNumber"),
        ("OidcConfig", "ClientSecret"),
        ("InstallToken", "Token"),
    ]:
        assert pair in secret, pair
    for pair in [
        ("B2VirtualStorageRoleSettings", "KeyID"),
        ("B2DestinationLocation", "AccountID"),
        ("DiskDrive", "SerialNumber"),
        ("AdminSecurityOptions", "AllowPasswordLogin"),
        ("AdminSecurityOptions", "PasswordFormat"),
        ("UserProfileConfig", "RequirePasswordChange"),
        ("GetProfileAndHashResponseMessage", "ProfileHash"),
        ("HTTPConnectorOptions", "SSLCertPath"),
    ]:
        assert pair not in secret, pair
    assert all(
        f["type"] in ("string", "List<byte>", "List<string>")
        for s in SPEC["structures"]
        for f in s["fields"]
        if f["secret"]
    )
    secret_params = sorted({p["name"] for m in SPEC["methods"] for p in m["params"] if p["secret"]})
    assert secret_params == [
        "NewPassword",
        "OldPassword",
        "SessionKey",
        "SetKeyHashValue",
        "TOTPCode",
        "TargetPassword",
        "TargetTOTPCode",
    ]


def test_wire_names_and_versions() -> None:
    listen = _fields("HTTPConnectorOptions")["ListenAddress"]
    assert listen["go_name"] == "ListenAddress__DONOTUSEDIRECTLY"
    assert _fields("OidcConfig")["DiscoveryDocumentURL"]["omitempty"] is True
    assert STRUCTURES["PVEParams"]["since"] == "25.8.0"
    assert STRUCTURES["AdminU2FRegistration"]["deprecated_since"] == "21.12.0"
    default = CONSTANTS["COMPRESS_DEFAULT"]
    assert (default["alias_of"], default["value"], default["go_type"]) == (
        "COMPRESS_LVL_4",
        4,
        "CompressMode",
    )
    assert CONSTANTS["DEFAULT_RETRY_COUNT"]["since"] == "24.6.6"
    assert CONSTANTS["DESTINATIONTYPE_S3"]["go_type"] == ""
    assert GROUP_OF["DESTINATIONTYPE_S3"] == "DESTINATIONTYPE"
    assert "DEFAULT_USER_AGENT" not in CONSTANTS  # a Go client constant, not an API one
    assert SPEC["named_types"]["RestoreOffice365Credential"] == "Office365Credential"


# -- (c) the parser on Go text written here -----------------------------------------------------

SNIPPET = """\
// Written for this test; shaped like the generated Go SDK.
package cometsdk

import (
\t"context"
)

const APPLICATION_VERSION string = "99.1.2"

// GadgetShade
const GADGET_SHADE_BLUE GadgetShade = "blue"

// GadgetShade
// This const is available in Comet 99.1.0 and later.
const GADGET_SHADE_DEFAULT GadgetShade = GADGET_SHADE_BLUE
const GADGET_LIMIT uint64 = 0x10

type GadgetShade string
type GadgetMap map[string]Gadget

type Gadget struct {
\t// Unix timestamp in seconds
\tBuilt int64
\tShade GadgetShade `json:",omitempty"`
\t// This field is available in Comet 99.1.0 and later.
\tLabels []string `json:"labels,omitempty"`
\tPassword string
\t// Deprecated: This member has been deprecated since Comet version 98.0.0
\tKeyID string

\teasyjson.UnknownFieldsProxy
}

type CometAPIResponseMessage struct {
\tStatus  int
\tMessage string

\teasyjson.UnknownFieldsProxy
}

//easyjson:skip
type CometAPIClient struct {
\tServerURL string
}

func (c *CometAPIClient) Request(ctx context.Context, contentType, method, path string, data map[string][]string) ([]byte, error) {
\tbody.Set("Username", c.Username)
\tbody.Set("AuthType", "Password")
\tbody.Set("Password", c.Password)
\treq.Header.Add("X-Comet-Admin-Username", c.Username)
\treq.Header.Add("X-Comet-Admin-Password", c.Password)
\treturn nil, nil
}

// AdminGadgetSet: store a gadget
//
// Callers must supply administrator credentials.
//
// - Params
// TargetUser: whose gadget
// Gadget: the gadget
// Note: (Optional) free text
// that wraps (>= 99.1.0)
func (c *CometAPIClient) AdminGadgetSet(ctx context.Context, TargetUser string, Gadget Gadget, Note *string) (*CometAPIResponseMessage, error) {
\tdata := map[string][]string{}
\tvar b []byte
\tvar err error

\tdata["TargetUser"] = []string{TargetUser}

\tb, err = json.Marshal(Gadget)
\tif err != nil {
\t\treturn nil, err
\t}
\tdata["Gadget"] = []string{string(b)}

\tif Note != nil {
\t\tdata["Note"] = []string{*Note}
\t}

\tbody, err := c.Request(ctx, "application/x-www-form-urlencoded", "POST", "/api/v1/admin/gadget/set", data)
\tif err != nil {
\t\treturn nil, err
\t}

\tresult := &CometAPIResponseMessage{}
\terr = json.Unmarshal(body, &result)
\tif err != nil {
\t\treturn nil, err
\t}

\treturn result, nil
}

// AdminGadgetList: list gadgets
//
// Callers must supply administrator credentials.
func (c *CometAPIClient) AdminGadgetList(ctx context.Context) (GadgetMap, error) {
\tbody, err := c.Request(ctx, "application/x-www-form-urlencoded", "POST", "/api/v1/admin/gadget/list", nil)
\tif err != nil {
\t\treturn nil, err
\t}

\tresult := GadgetMap{}
\terr = json.Unmarshal(body, &result)
\tif err != nil {
\t\treturn nil, err
\t}

\treturn result, nil
}
"""

# The matching generated encoder, reduced to the lines the cross-check reads.
EASYJSON = """\
func easyjsonTestEncode1(out *jwriter.Writer, in Gadget) {
\t{
\t\tconst prefix string = ",\\"Built\\":"
\t}
\tif in.Shade != "" {
\t\tconst prefix string = ",\\"Shade\\":"
\t}
\tif len(in.Labels) != 0 {
\t\tconst prefix string = ",\\"labels\\":"
\t}
\t{
\t\tconst prefix string = ",\\"Password\\":"
\t}
\t{
\t\tconst prefix string = ",\\"KeyID\\":"
\t}
}

func easyjsonTestEncode2(out *jwriter.Writer, in CometAPIResponseMessage) {
\t{
\t\tconst prefix string = ",\\"Status\\":"
\t}
\t{
\t\tconst prefix string = ",\\"Message\\":"
\t}
}
"""

FIELD_DEFAULTS = {
    "comment": "",
    "omitted_default": None,
    "since": None,
    "deprecated": False,
    "deprecated_since": None,
    "unit": None,
    "secret": False,
    "omitempty": False,
}
PARAM_DEFAULTS = {"description": "", "since": None, "unit": None, "secret": False}


def test_parser_on_a_snippet() -> None:
    spec = go_spec.build_spec(SNIPPET, EASYJSON, check_lists=False)
    assert spec["version"] == "99.1.2"
    assert spec["counts"] == {"methods": 2, "structures": 2, "constant_groups": 3, "constants": 4}
    assert spec["named_types"] == {
        "GadgetMap": "Dictionary<string, Gadget>",
        "GadgetShade": "string",
    }
    assert spec["undefined_structures"] == []

    message = {
        "name": "CometAPIResponseMessage",
        "extends": [],
        "since": None,
        "deprecated": False,
        "deprecated_since": None,
        "fields": [
            {
                **FIELD_DEFAULTS,
                "name": "Status",
                "go_name": "Status",
                "type": "int",
                "go_type": "int",
            },
            {
                **FIELD_DEFAULTS,
                "name": "Message",
                "go_name": "Message",
                "type": "string",
                "go_type": "string",
            },
        ],
    }
    assert spec["structures"] == [
        {
            "name": "Gadget",
            "extends": [],
            "since": None,
            "deprecated": False,
            "deprecated_since": None,
            "fields": [
                {
                    **FIELD_DEFAULTS,
                    "name": "Built",
                    "go_name": "Built",
                    "type": "int",
                    "go_type": "int64",
                    "unit": "unix_seconds",
                },
                {
                    **FIELD_DEFAULTS,
                    "name": "Shade",
                    "go_name": "Shade",
                    "type": "string",
                    "go_type": "GadgetShade",
                    "omitempty": True,
                },
                {
                    **FIELD_DEFAULTS,
                    "name": "labels",
                    "go_name": "Labels",
                    "type": "List<string>",
                    "go_type": "[]string",
                    "omitempty": True,
                    "since": "99.1.0",
                },
                {
                    **FIELD_DEFAULTS,
                    "name": "Password",
                    "go_name": "Password",
                    "type": "string",
                    "go_type": "string",
                    "secret": True,
                },
                {
                    **FIELD_DEFAULTS,
                    "name": "KeyID",
                    "go_name": "KeyID",
                    "type": "string",
                    "go_type": "string",
                    "deprecated": True,
                    "deprecated_since": "98.0.0",
                },
            ],
        },
        message,
    ]

    constant = {
        "alias_of": "",
        "comment": "",
        "since": None,
        "deprecated": False,
        "deprecated_since": None,
    }
    assert spec["constant_groups"] == [
        {
            "name": "APPLICATION",
            "constants": [
                {
                    **constant,
                    "name": "APPLICATION_VERSION",
                    "type": "string",
                    "value": "99.1.2",
                    "go_type": "",
                }
            ],
        },
        {
            "name": "GadgetShade",
            "constants": [
                {
                    **constant,
                    "name": "GADGET_SHADE_BLUE",
                    "type": "string",
                    "value": "blue",
                    "go_type": "GadgetShade",
                },
                {
                    **constant,
                    "name": "GADGET_SHADE_DEFAULT",
                    "type": "string",
                    "value": "blue",
                    "go_type": "GadgetShade",
                    "alias_of": "GADGET_SHADE_BLUE",
                    "since": "99.1.0",
                },
            ],
        },
        {
            "name": "GADGET",
            "constants": [
                {**constant, "name": "GADGET_LIMIT", "type": "int", "value": 16, "go_type": ""}
            ],
        },
    ]

    common = {
        "http_method": "POST",
        "auth": "admin",
        "auth_params": ["Username", "AuthType", "Password"],
        "header_auth": False,
        "encoding": "application/x-www-form-urlencoded",
        "since": None,
        "device_since": None,
        "aliases": [],
        "summary": "",
        "description": "",
    }
    assert spec["methods"] == [
        {
            **common,
            "name": "AdminGadgetSet",
            "path": "/api/v1/admin/gadget/set",
            "params": [
                {
                    **PARAM_DEFAULTS,
                    "name": "TargetUser",
                    "type": "string",
                    "go_type": "string",
                    "optional": False,
                    "json": False,
                },
                {
                    **PARAM_DEFAULTS,
                    "name": "Gadget",
                    "type": "Gadget",
                    "go_type": "Gadget",
                    "optional": False,
                    "json": True,
                },
                {
                    **PARAM_DEFAULTS,
                    "name": "Note",
                    "type": "string",
                    "go_type": "*string",
                    "optional": True,
                    "json": False,
                    "since": "99.1.0",
                },
            ],
            "returns": {"kind": "message", "type": "CometAPIResponseMessage"},
            "safe": False,
        },
        {
            **common,
            "name": "AdminGadgetList",
            "path": "/api/v1/admin/gadget/list",
            "params": [],
            "returns": {"kind": "json", "type": "Dictionary<string, Gadget>"},
            "safe": True,
        },
    ]
    assert go_spec.render(spec) == go_spec.render(
        go_spec.build_spec(SNIPPET, None, check_lists=False)
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("\tBuilt int64\n", "\tBuilt *int64\n", "unknown Go type"),
        ('`json:",omitempty"`', '`json:",string"`', "unsupported json tag option"),
        (
            '\tdata["TargetUser"] = []string{TargetUser}\n',
            '\tdata["TargetUser"] = []string{strings.ToLower(TargetUser)}\n',
            "is not a parameter",
        ),
        (
            "\tvar err error\n\n\tdata",
            "\tvar err error\n\tdefer cleanup()\n\n\tdata",
            "unrecognised statement",
        ),
        ("// Note: (Optional) free text", "// Note: free text", "optionality of Note"),
        (
            "const GADGET_LIMIT uint64 = 0x10",
            "const GADGET_LIMIT uint64 = 1 << 4",
            "unsupported constant expression",
        ),
        (
            "type GadgetMap map[string]Gadget\n",
            "type GadgetMap map[string]Gadget\nvar Registry = GadgetMap{}\n",
            "unrecognised declaration",
        ),
        ("\tPassword string\n", "\tPassword string\n\tSessionToken string\n", "look secret"),
        (
            "// Callers must supply administrator credentials.\n//\n// - Params",
            "//\n// - Params",
            "no credential statement",
        ),
    ],
)
def test_parser_fails_loudly(old: str, new: str, message: str) -> None:
    assert old in SNIPPET
    with pytest.raises(go_spec.GoSourceError, match=message):
        go_spec.build_spec(SNIPPET.replace(old, new, 1), None, check_lists=False)


def test_easyjson_disagreement_is_an_error() -> None:
    flipped = EASYJSON.replace('\tif in.Shade != "" {', "\t{")
    with pytest.raises(go_spec.GoSourceError, match="disagree with the easyjson encoder"):
        go_spec.build_spec(SNIPPET, flipped, check_lists=False)


def test_reviewed_lists_must_match_the_source() -> None:
    with pytest.raises(go_spec.GoSourceError, match="entries not found"):
        go_spec.build_spec(SNIPPET, EASYJSON, check_lists=True)


def test_load_go_source_from_a_directory(tmp_path: Path) -> None:
    (tmp_path / "cometsdk.go").write_text(SNIPPET, encoding="utf-8")
    assert go_spec.load_go_source(tmp_path) == (SNIPPET, None)
    (tmp_path / "cometsdk_easyjson.go").write_text(EASYJSON, encoding="utf-8")
    assert go_spec.load_go_source(tmp_path / "cometsdk.go") == (SNIPPET, EASYJSON)
    with pytest.raises(go_spec.GoSourceError):
        go_spec.load_go_source(tmp_path / "missing")


# -- (d) re-extraction from the Go SDK mirror ---------------------------------------------------


def test_reextracting_from_the_go_sdk_reproduces_the_committed_spec() -> None:
    if not (MIRROR / "HEAD").is_file():
        pytest.skip(f"the Comet Go SDK mirror is not on this machine ({MIRROR})")
    go_text, easyjson_text = go_spec.load_go_source(MIRROR)
    assert easyjson_text is not None, "the mirror should also hold cometsdk_easyjson.go"
    rebuilt = go_spec.render(go_spec.build_spec(go_text, easyjson_text))
    assert rebuilt == SPEC_TEXT, "re-run: python -m tools.comet_go_spec --go-source " + str(MIRROR)

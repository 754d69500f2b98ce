"""How ``backup_sdk`` finds this package (entry point ``backup_sdk.vendors``: ``comet``).

Importing this module is cheap: the parts are named, not imported.
"""

from backup_sdk.redaction import register_secret_keys
from backup_sdk.vendors import Vendor
from comet_sdk._generated.secrets import SECRET_NAMES

__all__ = ["SECRET_WIRE_KEYS", "VENDOR"]

#: Wire keys whose values are secret in this vendor's API (beyond the generic names).
SECRET_WIRE_KEYS: tuple[str, ...] = (
    "SessionKey",
    "TOTP",
    "TOTPCode",
    "TargetTOTPCode",
    "AuthPassword",
    "PasswordTOTP",
    "NewPassword",
    "OldPassword",
    "TargetPassword",
    "SecretKey",
    "S3SecretKey",
    "AccessKey",
    "S3AccessKey",
    "EncryptedEncryptionKey",
    "EncryptionKeyEncryptionMethod_Secret",
    "TOTPKey",
    "PasswordHash",
    "PasswordRecovery",
    "FTPPassword",
    "SMTPPassword",
    "SSHPassword",
    "SSHPrivateKey",
    "SFTPPassword",
    "SFTPPrivateKey",
    "SMBPassword",
    "AZBAccountKey",
    "LocalcopyWinSMBPassword",
    "CometBucketKey",
    "NewBucketKey",
    "ReadWriteKey",
    "AuthToken",
    "InstallToken",
    "SPOAppSecret",
    "ClientSecret",
    "B2ApplicationKey",
    "AppKey",
    "WasabiSecretKey",
    "StorjSecretKey",
    "APIKey",
    "BindPassword",
    "PartnerKey",
    "AppleIDPass",
    "PfxFilePassword",
    "SSLPfxPassword",
    "SSLClientKeyPassword",
    "WindowsCodeSignPKCS12Password",
    "WindowsCodeSignPKCS11Password",
    "WindowsCodeSignAzureAppSecret",
    "SetKeyHashValue",
    "OAuthToken",
    "X-Comet-Admin-Password",
    "X-Comet-Admin-SessionKey",
    "X-Comet-Admin-TOTP",
    "X-Comet-Admin-AuthType-Secret",
)
register_secret_keys(SECRET_WIRE_KEYS)
# every field and parameter the specs mark secret, registered now rather than when its
# model class is first imported (classes load lazily)
register_secret_keys(SECRET_NAMES)

VENDOR = Vendor(
    name="comet",
    title="Comet Server",
    package="comet_sdk",
    env_prefix="COMET",
    client="comet_sdk.client:CometAdminClient",
    simulator="comet_sdk.testing.simulator:CometSimulator",
    runs="comet_sdk.runs:to_backup_runs",
    run_source="comet_sdk.runs:CometRunSource",
    demo="comet_sdk.demo:run_demo",
)

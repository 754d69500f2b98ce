"""One-line summaries of the Comet API methods, written for this SDK's generated docstrings.

The two references say what each method does; these lines say it again in this project's
own words (nothing is copied from either). Families that follow one pattern (client
downloads, "browse" requests to a live device, the user-web twins of admin methods) are
phrased by rule in :func:`summary`; every other method has a line here. The generator fails
when a method has neither, so a new method cannot slip through with a placeholder.
"""

from __future__ import annotations

import re

__all__ = ["summary"]

# -- written by hand --------------------------------------------------------------------------

_ADMIN: dict[str, str] = {
    # the admin's own account
    "AccountProperties": "Read the settings of the admin account making the call.",
    "AccountSetProperties": "Change the settings of the admin account making the call.",
    "AccountRegenerateTotp": "Start enrolling a new TOTP authenticator for this admin account.",
    "AccountValidateTotp": "Confirm a new TOTP enrolment with a current code from it.",
    "AccountSessionStart": "Log in: start an admin session and return its session key.",
    "AccountSessionStartAsUser": "Start a session as one of the users, for acting on their behalf.",
    "AccountSessionRevoke": "Log out: end the admin session whose key is sent.",
    "AccountSessionUpgrade": "Turn a session key still awaiting a second factor into a full one.",
    "AccountU2fRequestRegistrationChallenge": "Begin registering a FIDO U2F key for this admin.",
    "AccountU2fSubmitChallengeResponse": "Finish registering a FIDO U2F key for this admin.",
    "AccountWebauthnRequestRegistrationChallenge": "Begin registering a WebAuthn key (admin).",
    "AccountWebauthnSubmitChallengeResponse": "Finish registering a WebAuthn key (admin).",
    # admin accounts
    "AddFirstAdminUser": "Create the very first admin account of a freshly installed server.",
    "AdminUserList": "List the admin accounts of the server (or of your organization).",
    "AdminUserNew": "Create an admin account.",
    "AdminUserDelete": "Delete an admin account.",
    # user accounts and profiles
    "AddUser": "Create a user account with a password.",
    "AddUserFromProfile": "Create a user account from a complete profile.",
    "DeleteUser": "Delete a user account (its data in Storage Vaults is not touched).",
    "ListUsers": "List the usernames of every user account.",
    "ListUsersFull": "Every user account's profile, keyed by username (one call, can be large).",
    "GetUserProfile": "Read one user's profile: devices, protected items, vaults, schedules.",
    "GetUserProfileAndHash": "Read one user's profile with the hash that guards a later write.",
    "GetUserProfileHash": "Read only the current hash of a user's profile.",
    "SetUserProfile": "Replace a user's profile (no protection against concurrent edits).",
    "SetUserProfileHash": "Replace a user's profile unless someone changed it since you read it.",
    "ResetUserPassword": "Set a new password for a user account.",
    "DisableUserTotp": "Turn off two-factor (TOTP) login for a user account.",
    "RevokeDevice": "Remove a device from a user account.",
    "CreateInstallToken": "Create a token for an unattended client installation.",
    "PreviewUserEmailReport": "Render an email report for a user without sending it.",
    "RequestStorageVault": "Create a Storage Vault for a user from one of the server's templates.",
    "RequestStorageVaultProviders": "List the Storage Vault templates a user can be given.",
    # protected items with their schedules (25.9.6)
    "GetProtectedItemWithBackupRules": "Read one protected item together with its backup rules.",
    "SetProtectedItemWithBackupRules": "Write one protected item together with its backup rules.",
    "DeleteProtectedItem": "Delete one protected item (and the backup rules that use it).",
    # jobs
    "GetJobsAll": "Every job the server knows about (unbounded: prefer a date range).",
    "GetJobsRecent": "Jobs of the last day or so, plus every job still running.",
    "GetJobsForUser": "Every job of one user account.",
    "GetJobsForDateRange": "Jobs that started or ended between two times (running ones end at 0).",
    "GetJobsForCustomSearch": "Jobs matching a search clause evaluated by the server.",
    "CountJobsForCustomSearch": "How many jobs match a search clause, without fetching them.",
    "GetJobProperties": "Read one job by its GUID (refreshes a running job's progress).",
    "GetJobLog": "A job's log as plain text.",
    "GetJobLogEntries": "A job's log as structured entries (time, severity, message).",
    "JobCancel": "Ask the device running a job to cancel it.",
    "JobAbandon": "Mark a job that looks stuck as abandoned (it revives if it reports again).",
    # live devices
    "DispatcherListActive": "Devices connected to the server right now, by connection id.",
    "DispatcherDropConnection": "Close a device's live connection (it reconnects by itself).",
    "DispatcherKillProcess": "Stop the backup service process on a connected device.",
    "DispatcherRefetchProfile": "Make a connected device download its profile again.",
    "DispatcherRunBackup": "Make a connected device run one of its backup rules now.",
    "DispatcherRunBackupCustom": "Make a connected device back up a protected item to a vault now.",
    "DispatcherRunRestore": "Make a connected device restore files to a local path.",
    "DispatcherRunRestoreCustom": "Make a connected device restore with full restore options.",
    "DispatcherApplyRetentionRules": "Make a connected device apply retention to a vault now.",
    "DispatcherDeepverifyStorageVault": "Make a connected device deep-verify a Storage Vault.",
    "DispatcherReindexStorageVault": "Make a connected device rebuild a Storage Vault's indexes.",
    "DispatcherUnlock": "Make a connected device clear stale lock files from a Storage Vault.",
    "DispatcherDeleteSnapshot": "Make a connected device delete one snapshot from a vault.",
    "DispatcherDeleteSnapshots": "Make a connected device delete several snapshots from a vault.",
    "DispatcherSearchSnapshots": "Make a connected device search snapshots for matching files.",
    "DispatcherImportApply": "Make a connected device import settings from another product.",
    "DispatcherRequestImportSources": "Ask a connected device which products it can import from.",
    "DispatcherRequestFilesystemObjects": "Ask a connected device to list a directory of its own.",
    "DispatcherRequestStoredObjects": "Ask a connected device to list a directory in a snapshot.",
    "DispatcherRequestVaultSnapshots": "Ask a connected device for the snapshots in a vault.",
    "DispatcherRequestWindiskSnapshot": "Ask a connected device for a disk-image snapshot's disks.",
    "DispatcherBrowseVirtualMachines": "Ask a connected device for the VMs inside a snapshot.",
    "DispatcherUninstallSoftware": "Make a connected device uninstall the backup client.",
    "DispatcherUpdateSoftware": "Make a connected device install the current client version.",
    "DispatcherUpdateLoginUrl": "Point a connected device at another server address.",
    "DispatcherUpdateLoginPassword": "Change the password a connected device logs in with.",
    "DispatcherGetDefaultLoginUrl": "The server address devices are given by default.",
    "DispatcherForceLogin": "Make a connected device log in again (optionally elsewhere).",
    "DispatcherPingDestination": "Make a connected device test that it can reach a vault location.",
    "DispatcherTestSmbAuth": "Make a connected device test Windows network share credentials.",
    "DispatcherEmailPreview": "Render a job's email report on a connected device.",
    "DispatcherOffice365ListVirtualAccounts": "Ask a connected device for Office 365 accounts.",
    "DispatcherRegisterOfficeApplicationBegin": "Start registering an Office 365 app on a device.",
    "DispatcherRegisterOfficeApplicationCheck": "Poll an Office 365 app registration in progress.",
    "DispatcherRequestOffice365Accounts": "Ask a connected device for the Office 365 accounts.",
    "DispatcherRequestOffice365Sites": "Ask a connected device for the SharePoint sites.",
    # devices waiting in the installation lobby
    "InstallationListActive": "Devices installed but not yet registered to a user account.",
    "InstallationDispatchRegisterDevice": "Register a waiting device to a user account.",
    "InstallationDispatchDropConnection": "Close the connection of a waiting device.",
    # client downloads
    "BrandingAvailablePlatforms": "The client installers this server can build, by platform code.",
    "BrandingGenerateClientByPlatform": "Download the client installer for a platform code.",
    "BrandingGenerateClientTest": "Check that a client installer can be built, without one.",
    # server settings and state
    "MetaVersion": "Server version, roles, licence and clock (works for every admin).",
    "MetaStats": "Server statistics over time, by unix day.",
    "MetaListAvailableLogDays": "Days for which the server has a log, as unix times.",
    "MetaReadLogs": "One day of the server's own log as plain text.",
    "MetaReadAllLogs": "Every day of the server's log, as one compressed download.",
    "MetaReadSelectLogs": "Chosen days of the server's log, as one compressed download.",
    "MetaResourceNew": "Upload a file (a logo, an icon) to the server's resource store.",
    "MetaResourceGet": "Download a file from the server's resource store by its hash.",
    "MetaRestartService": "Restart the Comet Server service.",
    "MetaShutdownService": "Stop the Comet Server service.",
    "MetaSendTestEmail": "Send a test email with given mail settings.",
    "MetaSendTestReport": "Send a test email report with given report settings.",
    "MetaServerConfigGet": "Read the whole server configuration.",
    "MetaServerConfigSet": "Replace the whole server configuration (the server restarts).",
    "MetaServerConfigNetworkInterfaces": "Network interfaces of the machine the server runs on.",
    "MetaSoftwareUpdateNews": "What the software vendor says about newer server versions.",
    "MetaBrandingConfigGet": "Read the branding settings.",
    "MetaBrandingConfigSet": "Replace the branding settings.",
    "MetaBuildConfigGet": "Read the software build role settings.",
    "MetaBuildConfigSet": "Replace the software build role settings.",
    "MetaConstellationConfigGet": "Read the Constellation role settings.",
    "MetaConstellationConfigSet": "Replace the Constellation role settings.",
    "MetaEmailOptionsGet": "Read the outgoing email settings.",
    "MetaEmailOptionsSet": "Replace the outgoing email settings.",
    "MetaPsaConfigListGet": "Read the PSA (ticketing) integrations.",
    "MetaPsaConfigListSet": "Replace the PSA (ticketing) integrations.",
    "MetaPsaConfigListSyncNow": "Push the current state to every PSA integration now.",
    "MetaRemoteStorageVaultGet": "Read the Storage Vault templates users can be given.",
    "MetaRemoteStorageVaultSet": "Replace the Storage Vault templates users can be given.",
    "MetaRemoteStorageVaultTest": "Check that a Storage Vault template can create a vault.",
    "MetaWebhookOptionsGet": "Read the webhook targets events are sent to.",
    "MetaWebhookOptionsSet": "Replace the webhook targets events are sent to.",
    "ReplicationState": "State of replication to the other servers.",
    "SelfBackupStart": "Start a backup of the server's own configuration now.",
    # storage role
    "StorageListBuckets": "Buckets of this server's storage role, by bucket id.",
    "StorageBucketProperties": "Size and settings of one bucket.",
    "StorageRegisterBucket": "Create a bucket on this server's storage role.",
    "StorageDeleteBucket": "Delete a bucket and everything in it.",
    "StorageFreeSpace": "Free and used space of the storage role's disks.",
    "StoragePingDestination": "Check that the server itself can reach a vault location.",
    "ConvertStorageRole": "Turn a storage role bucket into a Storage Vault template.",
    # constellation
    "ConstellationStatus": "State of the Constellation role (servers it watches).",
    "ConstellationLastReport": "The last bucket usage report of the Constellation role.",
    "ConstellationNewReport": "Build a fresh bucket usage report (can take a while).",
    "ConstellationPruneNow": "Delete the buckets Constellation found unused, now.",
    # news and bulletins
    "NewsGetAll": "News entries shown in the web interface, by id.",
    "NewsSubmit": "Add a news entry to the web interface.",
    "NewsRemove": "Remove a news entry.",
    "BulletinSubmit": "Email a message to every user.",
    # organizations (tenants)
    "OrganizationList": "Organizations (tenants), by id; top-level admins only.",
    "OrganizationSet": "Create an organization, or replace one by id.",
    "OrganizationDelete": "Delete an organization and the users in it.",
    "OrganizationExport": "Export an organization's data for moving it to another server.",
    # policies
    "PoliciesList": "Names of the user policies, by id.",
    "PoliciesListFull": "User policies with all their settings, by id.",
    "PoliciesGet": "Read one user policy with its hash.",
    "PoliciesNew": "Create a user policy.",
    "PoliciesSet": "Replace a user policy (optionally only if unchanged).",
    "PoliciesDelete": "Delete a user policy.",
    # user groups (24.12 and later)
    "UserGroupsList": "Names of the user groups, by id.",
    "UserGroupsListFull": "User groups with all their settings, by id.",
    "UserGroupsGet": "Read one user group with its hash.",
    "UserGroupsNew": "Create a user group.",
    "UserGroupsSet": "Replace a user group (optionally only if unchanged).",
    "UserGroupsDelete": "Delete a user group.",
    "UserGroupsSetUsersForGroup": "Make exactly these users the members of a group.",
    # external admin authentication sources
    "ExternalAuthSourcesGet": "External sources admins can log in through, by id.",
    "ExternalAuthSourcesNew": "Add an external source admins can log in through.",
    "ExternalAuthSourcesSet": "Replace the external sources admins can log in through.",
    "ExternalAuthSourcesDelete": "Remove an external source admins can log in through.",
    # update campaigns
    "UpdateCampaignStart": "Start rolling out a client update to the devices.",
    "UpdateCampaignStatus": "Progress of the current client update campaign, per device.",
}

_OTHERS: dict[str, str] = {
    "BrandingProps": "Public branding of the server's login page (no credentials needed).",
    "HybridSessionStart": "Log in as whatever the credentials belong to, admin or user.",
    "UserDispatcherEmailPreview": "Render a job's email report on your own connected device.",
    "UserWebSessionStart": "Log in: start a user session and return its session key.",
    "UserWebSessionRevoke": "Log out: end the user session whose key is sent.",
    "UserWebGetJobs": "Every job of the logged-in user.",
    "UserWebGetUserProfileAndHash": "Your own profile with the hash that guards a later write.",
    "UserWebSetProfileHash": "Replace your own profile unless it changed since you read it.",
    "UserWebAccountRegenerateTotp": "Start enrolling a new TOTP authenticator for your account.",
    "UserWebAccountValidateTotp": "Confirm a new TOTP enrolment with a current code from it.",
    "UserWebAccountResetPassword": "Change your own password (the old one is needed).",
    "UserWebNewsGetAll": "News entries shown to users, by id.",
    "UserWebRequestFilesystemObjects": "Ask a device of yours to list one of its directories.",
    "UserWebRequestStorageVault": "Create a Storage Vault for yourself from a template.",
    "UserWebRequestStorageVaultProviders": "The Storage Vault templates you may use.",
    "UserWebDispatcherListActive": "Your devices connected to the server right now.",
}

# -- by rule ----------------------------------------------------------------------------------

_PLATFORMS = {
    "LinuxDeb": "the Debian/Ubuntu (.deb)",
    "Linuxgeneric": "the generic Linux (.run)",
    "MacosArm64": "the macOS Apple silicon (.pkg)",
    "MacosX8664": "the macOS Intel (.pkg)",
    "SpkDsm6": "the Synology DSM 6 (.spk)",
    "SpkDsm7": "the Synology DSM 7 (.spk)",
    "WindowsAnycpuExe": "the Windows any-CPU (.exe)",
    "WindowsAnycpuZip": "the Windows any-CPU (.zip)",
    "WindowsX8632Exe": "the Windows 32-bit (.exe)",
    "WindowsX8632Zip": "the Windows 32-bit (.zip)",
    "WindowsX8664Exe": "the Windows 64-bit (.exe)",
    "WindowsX8664Zip": "the Windows 64-bit (.zip)",
}
_BROWSE = {
    "DiskDrives": "the physical disks",
    "ExchangeEdb": "the Exchange databases",
    "Hyperv": "the Hyper-V virtual machines",
    "Mongodb": "the MongoDB databases",
    "Mssql": "the SQL Server databases",
    "Mysql": "the MySQL databases",
    "Proxmox": "the Proxmox VMs and containers",
    "ProxmoxNodes": "the Proxmox cluster nodes",
    "ProxmoxStorage": "the Proxmox storage",
    "Vmware": "the VMware virtual machines",
    "VmwareDatacenters": "the VMware datacenters",
    "VmwareDatastores": "the VMware datastores",
    "VmwareHosts": "the VMware hosts",
    "VmwareNetworks": "the VMware networks",
    "VssAaw": "the application-aware VSS writers",
}


def _yours(text: str) -> str:
    """An admin summary, reworded for a user acting on their own account and devices."""
    out = text.replace("a connected device", "a device of yours")
    out = out.replace("one user's", "your").replace("a user's", "your")
    return out.replace("Every job of one user account", "Every job of yours")


def summary(name: str) -> str:
    """The first line of the generated docstring of ``name``.

    Raises:
        KeyError: the method has no summary (add one above).
    """
    if name in _OTHERS:
        return _OTHERS[name]
    admin = name.removeprefix("Admin") if name.startswith("Admin") else None
    if admin is not None:
        platform = admin.removeprefix("BrandingGenerateClient")
        if platform in _PLATFORMS:
            return f"Download {_PLATFORMS[platform]} client installer, built for this server."
        browse = re.fullmatch(r"DispatcherRequestBrowse(\w+)", admin)
        if browse and browse.group(1) in _BROWSE:
            return f"Ask a connected device to list {_BROWSE[browse.group(1)]} it can back up."
        return _ADMIN[admin]
    if name.startswith("UserWeb"):
        twin = "Admin" + name.removeprefix("UserWeb")
        return _yours(summary(twin))
    raise KeyError(name)

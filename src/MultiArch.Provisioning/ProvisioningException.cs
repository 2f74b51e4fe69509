namespace MultiArch.Provisioning;

/// <summary>A step could not provide what it needs, or provisioning was off; the message is one line with the fix.</summary>
public sealed class ProvisioningException(string message) : Exception(message);

namespace OrleansQueue.Silo.Hosting;

/// <summary>How the silo process ends; scripts and tests rely on these.</summary>
internal static class SiloExitCodes
{
    /// <summary>Stopped normally (Ctrl-C, SIGTERM) or printed its usage.</summary>
    public const int Ok = 0;

    /// <summary>A bad switch or an invalid configuration value.</summary>
    public const int BadConfiguration = 2;

    /// <summary>A port (silo, gateway or dashboard) is taken or cannot be bound.</summary>
    public const int CannotListen = 3;
}

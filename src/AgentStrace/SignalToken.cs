using System.Runtime.InteropServices;

namespace AgentStrace.Cli;

/// <summary>
/// A token cancelled on SIGINT or SIGTERM, for the one path that runs without the command framework (the hook): the
/// signal is taken (the process is not ended by it) and the command stops at its next check, as the framework's own
/// token does for every other command. The handlers are registered at the first <see cref="Arm"/>: the runtime starts
/// a thread for them, which the per-tool-call hooks never need.
/// </summary>
internal sealed class SignalToken : IDisposable
{
    private CancellationTokenSource? _source;
    private PosixSignalRegistration? _interrupt, _terminate;

    public CancellationToken Arm()
    {
        if (_source is null)
        {
            _source = new CancellationTokenSource();
            _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        }
        return _source.Token;
    }

    private void Cancel(PosixSignalContext context)
    {
        context.Cancel = true;
        _source?.Cancel();
    }

    public void Dispose()
    {
        _interrupt?.Dispose();
        _terminate?.Dispose();
        _source?.Dispose();
    }
}

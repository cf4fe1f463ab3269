using AgentStrace.Errors;
using ConsoleAppFramework;

namespace AgentStrace.Cli;

/// <summary>Turns every exception into one stderr line and its exit code (see <see cref="Cli.Fail"/>).</summary>
internal sealed class ExitCodeFilter(ConsoleAppFilter next) : ConsoleAppFilter(next)
{
    public override async Task InvokeAsync(ConsoleAppContext context, CancellationToken cancellationToken)
    {
        if (context.GlobalOptions is GlobalOptions options && options.TraceDir.Length > 0) Cli.TraceDir = options.TraceDir;
        try
        {
            await Next.InvokeAsync(context, cancellationToken);
        }
        catch (AgentStraceException ex)
        {
            Cli.Error(ex.Message);
            Environment.ExitCode = ex.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM: the command stopped at its next block; outputs were left as they were.
            Cli.Error("cancelled.");
            Environment.ExitCode = ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is not ArgumentParseFailedException) // parse errors: the framework reports them (exit 2)
        {
            Environment.ExitCode = Cli.Fail(ex);
        }
    }
}

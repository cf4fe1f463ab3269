using AgentStrace.Errors;
using AgentStrace.FileSystem;

namespace AgentStrace.Output;

/// <summary>
/// Stdout or <c>--output FILE</c> with the semantics of <see cref="OutputFile"/>: a regular file is written to an
/// exclusive temp file and renamed over FILE at <see cref="Commit"/> (a failed export leaves no half file and FILE keeps
/// its permissions); a FIFO or device is written through; a link is refused unless followed on request.
/// </summary>
public sealed class OutputTarget : IDisposable
{
    private readonly string? _path;
    private readonly string? _temp;
    private bool _committed, _closed;

    private OutputTarget(StreamBufferWriter writer, string? path, string? temp)
    {
        Writer = writer;
        _path = path;
        _temp = temp;
    }

    public StreamBufferWriter Writer { get; }
    public bool IsFile => _path is not null;
    public string? Path => _path;

    /// <param name="carriesContent">The format holds session content: a new file is created 0600.</param>
    public static OutputTarget Open(string? output, bool followSymlinks = false, bool carriesContent = true)
    {
        if (string.IsNullOrEmpty(output) || output == "-") return new OutputTarget(StreamBufferWriter.Stdout(), null, null);
        OutputFile plan = OutputFile.Plan(output, followSymlinks, carriesContent);
        switch (OutputFile.StandardStream(plan.Path))
        {
            case 1: return new OutputTarget(StreamBufferWriter.Stdout(), null, null);
            case 2: return new OutputTarget(StreamBufferWriter.Stderr(), null, null);
        }
        try
        {
            FileStream stream = plan.Open(out string? temp);
            return new OutputTarget(new StreamBufferWriter(stream, ownsStream: true), plan.Path, temp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentStraceException($"Cannot write --output {output}: {ex.Message}");
        }
    }

    /// <summary>Flushes and, for a replaced file, moves it into place.</summary>
    public void Commit()
    {
        _closed = true;
        Writer.Dispose();
        if (_temp is not null) File.Move(_temp, _path!, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed) return;
        if (!_closed)
        {
            _closed = true;
            try { Writer.Dispose(); } catch (IOException) { }
        }
        if (_temp is not null) SafeFile.DeleteIfLeftOver(_temp);
    }
}

using AgentStrace.Errors;
using AgentStrace.Output;

namespace AgentStrace.Export;

/// <summary>Stdout or <c>--output FILE</c> (written to a temp file and renamed, so a failed export leaves no half file).</summary>
public sealed class OutputTarget : IDisposable
{
    private readonly string? _path;
    private readonly string? _temp;
    private bool _committed;

    private OutputTarget(StreamBufferWriter writer, string? path, string? temp)
    {
        Writer = writer;
        _path = path;
        _temp = temp;
    }

    public StreamBufferWriter Writer { get; }
    public bool IsFile => _path is not null;
    public string? Path => _path;

    public static OutputTarget Open(string? output)
    {
        if (string.IsNullOrEmpty(output) || output == "-") return new OutputTarget(StreamBufferWriter.Stdout(), null, null);
        string full = System.IO.Path.GetFullPath(output);
        string? dir = System.IO.Path.GetDirectoryName(full);
        if (dir is not null && !Directory.Exists(dir)) throw new AgentStraceException($"Cannot write --output {output}: directory {dir} does not exist.");
        string temp = full + ".tmp-" + Environment.ProcessId;
        try
        {
            var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1);
            return new OutputTarget(new StreamBufferWriter(stream, ownsStream: true), full, temp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentStraceException($"Cannot write --output {output}: {ex.Message}");
        }
    }

    /// <summary>Flushes and, for a file, moves it into place.</summary>
    public void Commit()
    {
        Writer.Dispose();
        if (_temp is not null)
        {
            // Renaming over an existing file makes ext4 write the new file's data out first (auto_da_alloc): about
            // 40 ms for an 80 MB export, a sixth of the export. An export can be made again, so the old file is
            // removed first and that flush skipped (overwrite: true only matters if one appears in between).
            if (File.Exists(_path)) File.Delete(_path!);
            File.Move(_temp, _path!, overwrite: true);
        }
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed) return;
        try { Writer.Dispose(); } catch (IOException) { }
        if (_temp is not null && File.Exists(_temp)) File.Delete(_temp);
    }
}

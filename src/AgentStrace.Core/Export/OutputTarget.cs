using AgentStrace.Errors;
using AgentStrace.Output;

namespace AgentStrace.Export;

/// <summary>
/// Stdout or <c>--output FILE</c>: written to a temp file and renamed, so a failed export leaves no half file. An
/// existing FILE is replaced like a shell redirection would: it is moved aside and deleted in the background at the
/// start, because on ext4 both renaming over a big file and deleting one cost tens of milliseconds of I/O wait.
/// </summary>
public sealed class OutputTarget : IDisposable
{
    private readonly string? _path;
    private readonly string? _temp;
    private readonly Task _removeOld;
    private bool _committed, _closed;

    private OutputTarget(StreamBufferWriter writer, string? path, string? temp, Task removeOld)
    {
        Writer = writer;
        _path = path;
        _temp = temp;
        _removeOld = removeOld;
    }

    public StreamBufferWriter Writer { get; }
    public bool IsFile => _path is not null;
    public string? Path => _path;

    public static OutputTarget Open(string? output)
    {
        if (string.IsNullOrEmpty(output) || output == "-") return new OutputTarget(StreamBufferWriter.Stdout(), null, null, Task.CompletedTask);
        string full = System.IO.Path.GetFullPath(output);
        string? dir = System.IO.Path.GetDirectoryName(full);
        if (dir is not null && !Directory.Exists(dir)) throw new AgentStraceException($"Cannot write --output {output}: directory {dir} does not exist.");
        string temp = full + ".tmp-" + Environment.ProcessId;
        try
        {
            var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1);
            return new OutputTarget(new StreamBufferWriter(stream, ownsStream: true), full, temp, RemoveInBackground(full));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentStraceException($"Cannot write --output {output}: {ex.Message}");
        }
    }

    // A regular file in the way is renamed aside (cheap: nothing is overwritten, so ext4 does not flush) and deleted
    // on the thread pool while the export runs. Anything else (a directory, a device) is left for the final move to
    // report.
    private static Task RemoveInBackground(string path)
    {
        if (!File.Exists(path)) return Task.CompletedTask;
        string aside = path + ".old-" + Environment.ProcessId;
        try
        {
            File.Move(path, aside);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Task.CompletedTask;
        }
        return Task.Run(() =>
        {
            try { File.Delete(aside); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        });
    }

    /// <summary>Flushes and, for a file, moves it into place.</summary>
    public void Commit()
    {
        _closed = true;
        Writer.Dispose();
        _removeOld.Wait();
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
        _removeOld.Wait();
        if (_temp is not null && File.Exists(_temp)) File.Delete(_temp);
    }
}

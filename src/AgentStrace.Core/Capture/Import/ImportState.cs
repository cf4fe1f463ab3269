using System.Globalization;
using System.Text;
using AgentStrace.FileSystem;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>
/// What the last import saw of each history file (<c>&lt;store&gt;/.import-state</c>): a fingerprint of the file's size,
/// modification time and last bytes (and of its sub-agent folder's listing), and the sessions it produced. An
/// unchanged file whose sessions are still stored is skipped without being read. The file is a cache: losing it
/// only costs a full (still idempotent) re-import.
/// </summary>
public sealed class ImportState
{
    private const string FileName = ".import-state";
    private const string Header = "agent-strace import state v1";
    private readonly Dictionary<string, (string Fingerprint, string[] Sessions)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public static ImportState Load(TraceStore store)
    {
        var state = new ImportState();
        try
        {
            // A store inside a repository may hold anything under this name: a regular file only, never through a link.
            if (SafeFile.TryReadAllText(Path.Combine(store.Root, FileName), 64 << 20) is not { } text) return state;
            string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0 || lines[0] != Header) return state;
            foreach (string line in lines.AsSpan(1))
            {
                string[] parts = line.Split('\t');
                if (parts.Length == 3) state._entries[parts[1]] = (parts[0], parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return state;
    }

    /// <summary>True when <paramref name="path"/> has the fingerprint recorded and every session it produced is stored.</summary>
    public bool IsUnchanged(TraceStore store, string path, string fingerprint)
    {
        (string Fingerprint, string[] Sessions) entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(path, out entry)) return false;
        }
        return entry.Fingerprint == fingerprint && entry.Sessions.All(id => File.Exists(Path.Combine(store.SessionDir(id), "meta.json")));
    }

    public void Record(string path, string fingerprint, IEnumerable<string> sessions)
    {
        if (path.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0) return;
        string[] ids = sessions.ToArray();
        lock (_gate) _entries[path] = (fingerprint, ids);
    }

    public void Forget(string path)
    {
        lock (_gate) _entries.Remove(path);
    }

    /// <summary>Writes the state once (temp file + rename); a failure only means the next import reads everything.</summary>
    public void Save(TraceStore store)
    {
        var text = new StringBuilder(Header).Append('\n');
        lock (_gate)
        {
            foreach (var (path, (fingerprint, sessions)) in _entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                text.Append(fingerprint).Append('\t').Append(path).Append('\t').Append(string.Join(',', sessions)).Append('\n');
            }
        }
        try
        {
            Directory.CreateDirectory(store.Root);
            SafeFile.WriteAtomic(Path.Combine(store.Root, FileName), text.ToString());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Size, modification time and a hash of the last 4 KiB of the transcript, plus name, size and time of every file
    /// in its <c>&lt;session&gt;/subagents/</c> folder. Reads at most 4 KiB.
    /// </summary>
    public static string Fingerprint(string transcript)
    {
        var text = new StringBuilder();
        var file = new FileInfo(transcript);
        if (file.Exists)
        {
            text.Append(file.Length.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(TailHash(transcript, file.Length)).Append('\n');
        }
        string sub = Path.Combine(Path.GetDirectoryName(transcript)!, Path.GetFileNameWithoutExtension(transcript), "subagents");
        if (Directory.Exists(sub))
        {
            foreach (FileInfo f in new DirectoryInfo(sub).GetFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                text.Append(f.Name).Append(' ').Append(f.Length.ToString(CultureInfo.InvariantCulture)).Append(' ')
                    .Append(f.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return Sha256.HashHex(Encoding.UTF8.GetBytes(text.ToString()))[..32];
    }

    private static string TailHash(string path, long length)
    {
        using FileStream stream = SafeFile.OpenRead(path); // a FIFO named *.jsonl would block an open for reading
        int n = (int)Math.Min(4096, length);
        byte[] tail = new byte[n];
        stream.Seek(length - n, SeekOrigin.Begin);
        stream.ReadExactly(tail);
        return Sha256.HashHex(tail)[..16];
    }
}

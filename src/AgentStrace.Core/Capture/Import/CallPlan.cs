namespace AgentStrace.Capture.Import;

/// <summary>
/// What a first pass over one transcript stream learns about its API requests, so that a second pass can map the lines
/// one at a time: the requests numbered in the order they start, the line each ends on, and the two values its
/// llm_request event needs before its later lines are read (the final model and input count). A few numbers per
/// request; no line is kept, and the ids only while the first pass runs.
/// </summary>
public sealed class CallPlan
{
    private KeyIndex? _keys = new();
    private readonly List<int> _last = [], _model = [];
    private readonly List<long> _input = [];
    private readonly List<string> _models = [""];
    private readonly Dictionary<string, int> _modelNumbers = new(StringComparer.Ordinal) { [""] = 0 };
    private double _lastTime;
    private int _lastUsageLine = -1, _lastCall = -1;

    /// <summary>Lines of the stream seen by <see cref="Add"/>.</summary>
    public int Lines { get; private set; }

    /// <summary>Lines that belong to a request (see <see cref="LlmCalls.Counts"/>).</summary>
    public int UsageLines { get; private set; }

    /// <summary>Requests, numbered 0, 1, ... in the order of their first lines.</summary>
    public int Calls => _last.Count;

    /// <summary>The request left out because it may still be streaming, or -1.</summary>
    public int HeldBack { get; private set; } = -1;

    public void Add(TranscriptEntry e)
    {
        if (LlmCalls.Counts(e))
        {
            int call = _keys!.Add(e.MessageId + "\n" + e.RequestId, out bool added);
            if (added)
            {
                _last.Add(Lines);
                _input.Add(0);
                _model.Add(0);
            }
            _last[call] = Lines;
            _lastCall = call;
            _lastUsageLine = Lines;
            UsageLines++;
            long input = e.Message.GetObject("usage"u8).GetInt64("input_tokens"u8) ?? 0;
            if (input > _input[call]) _input[call] = input;
            string model = e.Model;
            if (model.Length > 0)
            {
                if (!_modelNumbers.TryGetValue(model, out int n))
                {
                    _modelNumbers[model] = n = _models.Count;
                    _models.Add(model);
                }
                _model[call] = n;
            }
        }
        _lastTime = e.Timestamp;
        Lines++;
    }

    /// <summary>Ends the first pass: a request whose last line ends the stream at or after <paramref name="unsettledAfter"/> is held back.</summary>
    public void Finish(double unsettledAfter)
    {
        _keys = null;
        if (Lines > 0 && _lastTime >= unsettledAfter && _lastUsageLine == Lines - 1) HeldBack = _lastCall;
    }

    public int Last(int call) => _last[call];
    public long Input(int call) => _input[call];
    public string Model(int call) => _models[_model[call]];
}

namespace AgentStrace.Store;

/// <summary>How much of a stored line <see cref="EventLine"/> materialises.</summary>
public enum EventParseMode
{
    /// <summary>Every field; data copied out of the line.</summary>
    Full,

    /// <summary>
    /// For exports: data stays a slice of the (unchanging) line buffer, except for the events a span builder holds
    /// until their closing event (tool_call, llm_request), which get their own copy so they do not pin the buffer;
    /// the chain field <c>prev_hash</c> is validated but not decoded (exports never read it; verification uses
    /// <see cref="Full"/>).
    /// </summary>
    Export,

    /// <summary>
    /// Every field as <see cref="Full"/> decodes it, but data stays a slice of the line buffer (never copied): for a
    /// pass that is done with each event before its buffer changes (the audit package).
    /// </summary>
    Slice,

    /// <summary>
    /// Every field as <see cref="Full"/> decodes it, data copied, with the index of its properties (and those of its
    /// object values) recorded as it is read: for a pass that looks up many keys of each event (pricing).
    /// </summary>
    Indexed,
}

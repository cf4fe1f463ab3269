namespace AgentStrace.Store;

/// <summary>A run of whole lines of an events file, in a buffer of its own.</summary>
/// <param name="FirstLine">1-based number of the block's first line.</param>
/// <param name="EndsTerminated">False when the block ends with the file's last line and that line has no newline.</param>
public readonly record struct LineBlock(byte[] Buffer, int Length, long FirstLine, bool EndsTerminated);

namespace AgentStrace.View;

/// <summary>How a view is drawn: the terminal width it must fit and whether ANSI colours are used.</summary>
public sealed record Style(int Width, bool Color)
{
    public static readonly Style Plain160 = new(160, false);

    public string Red(string s) => Wrap(s, "31");
    public string Green(string s) => Wrap(s, "32");
    public string Yellow(string s) => Wrap(s, "33");
    public string Cyan(string s) => Wrap(s, "36");
    public string Magenta(string s) => Wrap(s, "35");
    public string Dim(string s) => Wrap(s, "2");
    public string Bold(string s) => Wrap(s, "1");

    // Every colour is closed on the same cell it opens on, so cut or padded columns never bleed into the next one.
    private string Wrap(string s, string code) => Color && s.Length > 0 ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
}

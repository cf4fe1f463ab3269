using System;
using System.Collections.Generic;
using System.Globalization;

namespace AgentStrace.Generators;

/// <summary>One field line of a <c>.protoschema</c> file: <c>N name TYPE [repeated] [small] [if COND] [= EXPR]</c>.</summary>
internal sealed class ProtoField
{
    public int Number;
    public string Name = "";
    public string Type = "";
    public bool Repeated;
    public bool Small;
    public string? Condition;
    /// <summary>The C# value; null for a field that is declared only (constants, skipped by readers).</summary>
    public string? Expression;
}

internal sealed class ProtoMessage
{
    public string Name = "";
    /// <summary>The bound C# type; null for inline and declaration-only messages.</summary>
    public string? ForType;
    public bool Inline;
    public string? ReadExpression;
    public List<ProtoField> Fields = new();

    /// <summary><c>Span.Event</c> → <c>SpanEvent</c>: the suffix of the generated Write/Size/Read methods.</summary>
    public string MethodSuffix => Name.Replace(".", "");

    /// <summary><c>Span.Event</c> → <c>Span_Event</c>: the prefix of its field-number constants.</summary>
    public string ConstantPrefix => Name.Replace(".", "_");
}

internal sealed class ProtoExternal
{
    public string Name = "";
    public string Writer = "";
    public string Reader = "";
    public string ForType = "";
}

internal sealed class ProtoEnum
{
    public string Name = "";
    public List<KeyValuePair<string, int>> Values = new();
}

/// <summary>The parsed schema; <see cref="Error"/> is set (with the line) when the file is malformed.</summary>
internal sealed class ProtoSchema
{
    public string Namespace = "";
    public string ClassName = "";
    public List<string> Usings = new();
    public List<ProtoMessage> Messages = new();
    public Dictionary<string, ProtoMessage> MessagesByName = new(StringComparer.Ordinal);
    public Dictionary<string, ProtoExternal> Externals = new(StringComparer.Ordinal);
    public List<ProtoEnum> Enums = new();
    public string? Error;

    public static ProtoSchema Parse(string text)
    {
        var schema = new ProtoSchema();
        ProtoMessage? message = null;
        ProtoEnum? protoEnum = null;
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int hash = line.IndexOf('#');
            if (hash >= 0) line = line.Substring(0, hash);
            line = line.Trim();
            if (line.Length == 0) continue;
            string? error = schema.ParseLine(line, ref message, ref protoEnum);
            if (error != null)
            {
                schema.Error = $"line {i + 1}: {error}";
                return schema;
            }
        }
        schema.Error ??= schema.Validate();
        return schema;
    }

    private string? ParseLine(string line, ref ProtoMessage? message, ref ProtoEnum? protoEnum)
    {
        string[] words = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        switch (words[0])
        {
            case "namespace": Namespace = words[1]; return null;
            case "class": ClassName = words[1]; return null;
            case "using": Usings.Add(words[1]); return null;
            case "external":
                // external NAME writer CLASS reader CLASS for TYPE
                if (words.Length < 8 || words[2] != "writer" || words[4] != "reader" || words[6] != "for") return "expected: external NAME writer CLASS reader CLASS for TYPE";
                Externals[words[1]] = new ProtoExternal { Name = words[1], Writer = words[3], Reader = words[5], ForType = Rest(line, 7) };
                message = null;
                protoEnum = null;
                return null;
            case "message":
                message = new ProtoMessage { Name = words[1] };
                protoEnum = null;
                if (words.Length > 2 && words[2] == "inline") message.Inline = true;
                else if (words.Length > 3 && words[2] == "for") message.ForType = Rest(line, 3);
                else if (words.Length > 2) return "expected: message NAME [inline | for TYPE]";
                if (MessagesByName.ContainsKey(message.Name)) return $"message {message.Name} is declared twice";
                Messages.Add(message);
                MessagesByName[message.Name] = message;
                return null;
            case "enum":
                protoEnum = new ProtoEnum { Name = words[1] };
                message = null;
                Enums.Add(protoEnum);
                return null;
            case "read":
                if (message == null) return "read outside a message";
                message.ReadExpression = line.Substring(4).Trim();
                return null;
        }
        if (!int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1)
            return $"unexpected '{words[0]}'";
        if (protoEnum != null)
        {
            if (words.Length != 2) return "expected: N VALUE";
            protoEnum.Values.Add(new KeyValuePair<string, int>(words[1], number));
            return null;
        }
        if (message == null) return "field outside a message";
        return ParseField(line, words, number, message);
    }

    private static string? ParseField(string line, string[] words, int number, ProtoMessage message)
    {
        if (words.Length < 3) return "expected: N name TYPE ...";
        var field = new ProtoField { Number = number, Name = words[1], Type = words[2] };
        int eq = line.IndexOf(" = ", StringComparison.Ordinal);
        string head = eq >= 0 ? line.Substring(0, eq) : line;
        if (eq >= 0) field.Expression = line.Substring(eq + 3).Trim();
        int cond = head.IndexOf(" if ", StringComparison.Ordinal);
        if (cond >= 0)
        {
            field.Condition = head.Substring(cond + 4).Trim();
            head = head.Substring(0, cond);
        }
        string[] flags = head.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 3; i < flags.Length; i++)
        {
            if (flags[i] == "repeated") field.Repeated = true;
            else if (flags[i] == "small") field.Small = true;
            else return $"unknown flag '{flags[i]}'";
        }
        foreach (ProtoField other in message.Fields)
        {
            if (other.Number == number) return $"field number {number} is used twice in {message.Name}";
        }
        message.Fields.Add(field);
        return null;
    }

    private string? Validate()
    {
        if (Namespace.Length == 0 || ClassName.Length == 0) return "the schema needs 'namespace' and 'class' lines";
        foreach (ProtoMessage m in Messages)
        {
            foreach (ProtoField f in m.Fields)
            {
                if (ProtoTypes.IsScalar(f.Type) || Externals.ContainsKey(f.Type)) continue;
                if (!MessagesByName.TryGetValue(f.Type, out ProtoMessage? target)) return $"{m.Name}.{f.Name}: unknown type {f.Type}";
                if (f.Expression == null) continue;
                if (target.Inline && f.Expression != "v") return $"{m.Name}.{f.Name}: an inline message must be bound to 'v'";
                if (!target.Inline && target.ForType == null) return $"{m.Name}.{f.Name}: {target.Name} is declared only and cannot be written";
            }
        }
        return null;
    }

    private static string Rest(string line, int wordIndex)
    {
        int at = 0;
        for (int w = 0; w < wordIndex; w++)
        {
            while (at < line.Length && line[at] == ' ') at++;
            while (at < line.Length && line[at] != ' ') at++;
        }
        return line.Substring(at).Trim();
    }
}

using System.Globalization;
using System.Text;

namespace OrleansQueue.Silo.Beanstalk.Protocol;

/// <summary>The YAML bodies of <c>OK</c> replies, written as beanstalkd writes them: <c>---</c>, then one
/// <c>key: value</c> (a dictionary) or <c>- item</c> (a list) a line, each ending in a bare LF.</summary>
public sealed class YamlDocument
{
    private readonly StringBuilder _text = new("---\n");

    /// <summary>A list of names (<c>list-tubes</c>, <c>list-tubes-watched</c>).</summary>
    public static ReadOnlyMemory<byte> List(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var document = new YamlDocument();
        foreach (var item in items)
        {
            document._text.Append("- ").Append(item).Append('\n');
        }

        return document.ToBytes();
    }

    public YamlDocument Add(string key, string value)
    {
        _text.Append(key).Append(": ").Append(value).Append('\n');
        return this;
    }

    /// <summary>A string value beanstalkd quotes (<c>tube: "default"</c>, <c>state: ready</c> is not quoted).</summary>
    public YamlDocument AddQuoted(string key, string value) => Add(key, $"\"{value}\"");

    public YamlDocument Add(string key, ulong value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

    public YamlDocument Add(string key, long value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

    public ReadOnlyMemory<byte> ToBytes() => Encoding.ASCII.GetBytes(_text.ToString());
}

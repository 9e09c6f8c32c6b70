using System.Text;

namespace OrleansQueue.Cli.Interactive;

/// <summary>
/// Splits an interactive line into words the way a shell would for simple cases: blanks separate words,
/// <c>"..."</c> and <c>'...'</c> group text (quotes may sit inside a word: <c>--data="a b"</c>), <c>\"</c> and
/// <c>\\</c> escape inside double quotes, and <c>""</c> is an empty word. Other backslashes are literal, so
/// Windows paths need no doubling.
/// </summary>
internal static class LineTokenizer
{
    /// <exception cref="CliException">A usage error: a quote is not closed.</exception>
    public static IReadOnlyList<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c is not ('"' or '\''))
            {
                word.Append(c);
                continue;
            }

            var close = c;
            var start = i;
            for (i++; ; i++)
            {
                if (i >= line.Length)
                {
                    throw CliException.Usage($"the quote {close} at column {start + 1} is not closed");
                }

                if (line[i] == close)
                {
                    break;
                }

                if (close == '"' && line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                {
                    i++;
                }

                word.Append(line[i]);
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}

using System.Globalization;
using System.Text;

namespace OrleansQueue.Text;

/// <summary>
/// Text from users and handlers (job types, errors, results, progress messages, worker names, mistyped commands) as
/// it may be shown to a person: never able to drive their terminal, never unbounded.
/// </summary>
public static class DisplayText
{
    /// <summary>How much of a user's input an error message repeats: enough to recognise it.</summary>
    public const int EchoLength = 80;

    /// <summary>
    /// Shows each character that could move the cursor, retitle the window, clear the screen or reorder text as an
    /// escape (<c>\u001B</c>): C0 controls, DEL, C1 controls, and the bidirectional overrides, embeddings and isolates
    /// (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C). Line feeds and tabs stay, for the callers that lay out
    /// lines; <see cref="OneLine"/> removes them.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return EscapeUnsafe(text, echo: false);
    }

    /// <summary><see cref="Escape"/>d, with every line break (CR, LF, CRLF, NEL, LS, PS, FF) as one space and tabs
    /// as spaces: for a list row or an error line.</summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Escape(text.ReplaceLineEndings(" ").Replace('\t', ' '));
    }

    /// <summary>A user's input repeated in a message: on one line, escaped, and <see cref="Shorten"/>ed to
    /// <see cref="EchoLength"/> characters, so a megabyte of input is not printed back.</summary>
    /// <remarks>An echo also escapes the invisible format characters (zero-width spaces and joiners), which a job's own
    /// text may use to draw emoji, so that the message shows what made the input wrong.</remarks>
    public static string Echo(string? text) =>
        text is null ? "" : EscapeUnsafe(Shorten(text, EchoLength).ReplaceLineEndings(" ").Replace('\t', ' '), echo: true);

    /// <summary>The text, or its first <paramref name="length"/> - 1 characters and an ellipsis (a surrogate pair is
    /// never split).</summary>
    public static string Shorten(string text, int length)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        return text.Length <= length ? text : string.Concat(text.AsSpan(0, CutPoint(text, length - 1)), "…");
    }

    /// <summary>True when every character is printable: no white space, controls, format characters (bidirectional
    /// overrides, zero-width characters), separators, private-use, unassigned code points or lone surrogates. What a job
    /// type may hold.</summary>
    public static bool IsPrintable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogate(text[i]) && !char.IsSurrogatePair(text, i))
            {
                return false;
            }

            if (char.IsWhiteSpace(text[i]))
            {
                return false;
            }

            switch (CharUnicodeInfo.GetUnicodeCategory(text, i))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                case UnicodeCategory.SpaceSeparator:
                case UnicodeCategory.PrivateUse:
                case UnicodeCategory.OtherNotAssigned:
                    return false;
            }

            if (char.IsHighSurrogate(text[i]))
            {
                i++;
            }
        }

        return true;
    }

    private static string EscapeUnsafe(string text, bool echo)
    {
        StringBuilder? escaped = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsUnsafe(c) || (echo && char.GetUnicodeCategory(c) == UnicodeCategory.Format))
            {
                escaped ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                escaped?.Append(c);
            }
        }

        return escaped?.ToString() ?? text;
    }

    private static bool IsUnsafe(char c) =>
        c is (< ' ' and not '\n' and not '\t') or (>= '\u007F' and <= '\u009F')
            or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';

    /// <summary>Where to cut near <paramref name="length"/> without splitting a surrogate pair.</summary>
    private static int CutPoint(string text, int length) =>
        length > 0 && char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;
}

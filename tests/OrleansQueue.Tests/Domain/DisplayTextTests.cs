using OrleansQueue.Text;

namespace OrleansQueue.Tests.Domain;

/// <summary>Text from users and handlers as a person is shown it: escaped, and echoes cut short.</summary>
public sealed class DisplayTextTests
{
    [Theory]
    [InlineData("\u001B]0;pwned\u0007", "\\u001B]0;pwned\\u0007")]
    [InlineData("\u001B[2J", "\\u001B[2J")]
    [InlineData("a\u007Fb\u009Bc", "a\\u007Fb\\u009Bc")]
    [InlineData("txt.\u202Eexe", "txt.\\u202Eexe")]
    [InlineData("\u2066x\u2069\u200F", "\\u2066x\\u2069\\u200F")]
    [InlineData("over\rwrite", "over\\u000Dwrite")]
    [InlineData("plain ✓ text\twith tab\nand a line", "plain ✓ text\twith tab\nand a line")]
    public void Escape_ShowsControlAndBidiCharacters_AsEscapes(string text, string expected)
    {
        Assert.Equal(expected, DisplayText.Escape(text));
    }

    [Fact]
    public void OneLine_JoinsLines_AndEscapesTheRest()
    {
        Assert.Equal("line one line two \\u001B[31m", DisplayText.OneLine("line one\r\nline two\n\u001B[31m"));
    }

    [Fact]
    public void Echo_CutsLongInput_WithAnEllipsis()
    {
        var echo = DisplayText.Echo(new string('x', 1_000_000));

        Assert.Equal(DisplayText.EchoLength, echo.Length);
        Assert.EndsWith("…", echo, StringComparison.Ordinal);
        Assert.Equal("short", DisplayText.Echo("short"));
        Assert.Equal("a\\u001Bb", DisplayText.Echo("a\u001Bb"));
    }

    [Theory]
    [InlineData("TRANSCODE_VIDEO", true)]
    [InlineData("日本語-ジョブ", true)]
    [InlineData("emoji-😀", true)]
    [InlineData("bad\u202Etype", false)]
    [InlineData("zero\u200Bwidth", false)]
    [InlineData("esc\u001B", false)]
    [InlineData("c1\u0085", false)]
    [InlineData("no space", false)]
    [InlineData("nbsp\u00A0", false)]
    public void IsPrintable_AcceptsVisibleCharactersOnly(string text, bool expected)
    {
        Assert.Equal(expected, DisplayText.IsPrintable(text));
    }

    [Fact]
    public void IsPrintable_RefusesALoneSurrogate()
    {
        // Built at run time: an attribute cannot hold invalid UTF-16.
        Assert.False(DisplayText.IsPrintable("lone" + (char)0xD800));
        Assert.False(DisplayText.IsPrintable((char)0xDC00 + "x"));
    }
}

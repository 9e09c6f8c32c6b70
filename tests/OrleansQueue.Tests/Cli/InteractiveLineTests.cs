using OrleansQueue.Cli;
using OrleansQueue.Cli.Interactive;

namespace OrleansQueue.Tests.Cli;

/// <summary>Splitting an interactive line into words, and the keywords of the job servers we replace.</summary>
public sealed class InteractiveLineTests
{
    public static TheoryData<string, string[]> Lines => new()
    {
        { "SUBMIT TRANSCODE_VIDEO --payload=video.mp4 --priority=2", ["SUBMIT", "TRANSCODE_VIDEO", "--payload=video.mp4", "--priority=2"] },
        { "  JOB_STATUS \t abc  ", ["JOB_STATUS", "abc"] },
        { "submit T --data=\"a b\"", ["submit", "T", "--data=a b"] },
        { "submit T --data='{\"fail\":true}'", ["submit", "T", "--data={\"fail\":true}"] },
        { "submit T --data \"say \\\"hi\\\" \\\\ bye\"", ["submit", "T", "--data", "say \"hi\" \\ bye"] },
        { "submit T --payload C:\\jobs\\in.bin", ["submit", "T", "--payload", "C:\\jobs\\in.bin"] },
        { "submit T --data ''", ["submit", "T", "--data", ""] },
        { "submit 'it''s'", ["submit", "its"] },
        { "", [] },
        { "   ", [] },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Split_RespectsQuotes(string line, string[] expected) =>
        Assert.Equal(expected, LineTokenizer.Split(line));

    [Theory]
    [InlineData("submit T --data=\"open")]
    [InlineData("submit T --data='open")]
    public void Split_RefusesAnUnclosedQuote_AsAUsageError(string line)
    {
        var error = Assert.Throws<CliException>(() => LineTokenizer.Split(line));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("is not closed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SUBMIT", "submit")]
    [InlineData("submit", "submit")]
    [InlineData("JOB_STATUS", "status")]
    [InlineData("job_status", "status")]
    [InlineData("status", "status")]
    [InlineData("METRICS_GET", "metrics")]
    [InlineData("metrics_get", "metrics")]
    [InlineData("metrics", "metrics")]
    [InlineData("CANCEL", "cancel")]
    [InlineData("Requeue", "requeue")]
    [InlineData("LIST", "list")]
    [InlineData("WATCH", "watch")]
    [InlineData("HELP", InteractiveKeywords.Help)]
    [InlineData("SHUTDOWN", InteractiveKeywords.Shutdown)]
    [InlineData("shutdown", InteractiveKeywords.Shutdown)]
    public void Map_AcceptsTheServersKeywords_AndOurNames_InAnyCase(string keyword, string expected) =>
        Assert.Equal(expected, InteractiveKeywords.Map(keyword));

    [Theory]
    [InlineData("PUT")]
    [InlineData("--gateway")]
    [InlineData("JOBSTATUS")]
    public void Map_ReturnsNull_ForAnythingElse(string keyword) =>
        Assert.Null(InteractiveKeywords.Map(keyword));
}

using System.Text;
using System.Text.Json;
using OrleansQueue.Jobs;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Cli;

/// <summary>Batch submit on the command line: <c>submit TYPE --count N</c> and <c>submit --file FILE|-</c>.</summary>
public sealed class SubmitManyTests
{
    [Fact]
    public async Task Count_SubmitsNCopies_InOneOrderedBatchCall_AndPrintsEachId()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--count", "5", "--data", "x", "--priority", "2", "--deadline", "30"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(5, connector.Queue.Submissions.Count);
        Assert.All(connector.Queue.Submissions, s =>
            Assert.Equal(("T", "x", 2, TimeSpan.FromSeconds(30)), (s.Type, Encoding.UTF8.GetString(s.Payload), s.Priority, s.Deadline)));
        Assert.Equal([1000], connector.Queue.BatchSizes);
        Assert.Equal([1], connector.Queue.InFlights);
        Assert.Equal(connector.Queue.Jobs.Keys.Select(JobId.Format).Order(), run.StdoutLines.Order());
        Assert.Equal(5, run.StdoutLines.Distinct().Count());
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Count_OfATypeNoSiloAccepts_ExitsTwo_OnceAndBeforeSendingAnything()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "BAD TYPE", "--count", "1000"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Empty(connector.Queue.Submissions);
        Assert.Equal(["error: The job type 'BAD TYPE' contains white space or control characters."], run.StderrLines);
    }

    [Fact]
    public async Task Count_WithPayloadFile_SendsTheFilesBytesInEveryCopy()
    {
        var connector = new FakeQueueConnector();
        using var payload = TempFile.Bytes([0, 1, 255]);

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--count=3", $"--payload={payload.Path}"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, connector.Queue.Submissions.Count);
        Assert.All(connector.Queue.Submissions, s => Assert.Equal([0, 1, 255], s.Payload));
    }

    [Fact]
    public async Task Count_WithJson_PrintsOneObjectPerJob_WithEveryKey()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--count", "3", "--json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = JsonDocument.Parse(run.Stdout);
        var jobs = document.RootElement.EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], jobs.Select(j => j.GetProperty("job").GetInt32()));
        Assert.All(jobs, j =>
        {
            Assert.Equal(JsonValueKind.Null, j.GetProperty("line").ValueKind);
            Assert.True(connector.Queue.Jobs.ContainsKey(Guid.Parse(j.GetProperty("id").GetString()!)));
            Assert.Equal("QUEUED", j.GetProperty("outcome").GetString());
            Assert.Equal(JsonValueKind.Null, j.GetProperty("error").ValueKind);
        });
    }

    [Fact]
    public async Task Count_AboveOneChunk_PrintsOneValidJsonArray_OfEveryJobInOrder()
    {
        const int Count = 100_001;
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--count", $"{Count}", "--json"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, connector.Queue.BatchSizes.Count);
        Assert.Equal(Count, connector.Queue.Submissions.Count);
        using var document = JsonDocument.Parse(run.Stdout);
        Assert.Equal(Enumerable.Range(1, Count), document.RootElement.EnumerateArray().Select(j => j.GetProperty("job").GetInt32()));
    }

    [Fact]
    public async Task File_AppliesTheCommandLinesValues_ToLinesThatOmitThem_AndPrintsTheIdsInLineOrder()
    {
        var connector = new FakeQueueConnector();
        using var file = TempFile.Text("""
            # videos first
            {"type":"TRANSCODE_VIDEO","data":"a.mp4","priority":3,"retries":2,"deadline":30,"backoff":1}

            {"data":"default type"}
               # an indented comment
            {"type":"THUMBNAIL","payload":"AAH/"}
            {"priority":0,"backoff":0.5}
            """);

        var run = await CliRun.StartAsync(
            connector, ["submit", "DEFAULT", "--file", file.Path, "--data=dflt", "--priority=7", "--retries=4", "--deadline=60", "--backoff=2"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var sent = connector.Queue.Submissions
            .Select(s => (s.Type, Convert.ToBase64String(s.Payload), s.Priority, s.Retries, s.Deadline?.TotalSeconds, s.RetryBackoff?.TotalSeconds))
            .ToList();
        List<(string, string, long?, int?, double?, double?)> expected =
        [
            ("TRANSCODE_VIDEO", B64("a.mp4"), 3, 2, 30, 1),
            ("DEFAULT", B64("default type"), 7, 4, 60, 2),
            ("THUMBNAIL", "AAH/", 7, 4, 60, 2),
            ("DEFAULT", B64("dflt"), 0, 4, 60, 0.5),
        ];
        Assert.Equal(expected, sent);
        Assert.Equal(["TRANSCODE_VIDEO", "DEFAULT", "THUMBNAIL", "DEFAULT"], run.StdoutLines.Select(id => connector.Queue.Jobs[Guid.Parse(id)].Type));
        Assert.Equal([1000], connector.Queue.BatchSizes);
        Assert.Equal([1], connector.Queue.InFlights);
    }

    [Fact]
    public async Task File_LeavesValuesNeitherTheLineNorTheCommandLineGives_ToTheSilo()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "--file", "-"], "{\"type\":\"T\"}\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        var submission = Assert.Single(connector.Queue.Submissions);
        Assert.Equal(("T", 0), (submission.Type, submission.Payload.Length));
        Assert.Equal((null, null, null, null), (submission.Priority, submission.Retries, submission.Deadline, submission.RetryBackoff));
    }

    [Fact]
    public async Task File_Dash_ReadsTheJobsFromStdin()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "--file", "-", "--json"], "{\"type\":\"A\"}\n\n{\"type\":\"B\"}\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["A", "B"], connector.Queue.Submissions.Select(s => s.Type));
        using var document = JsonDocument.Parse(run.Stdout);
        Assert.Equal([1, 3], document.RootElement.EnumerateArray().Select(j => j.GetProperty("line").GetInt32()));
    }

    [Theory]
    [InlineData("""{"type":"T","priority":11}""", "Priority 11 is out of range: it must be from 0 (most important) to 10.")]
    [InlineData("""{"type":"T","priority":-1}""", "Priority -1 is out of range")]
    [InlineData("""{"type":"T","retries":-1}""", "Retries -1 is negative: it must be 0 or more.")]
    [InlineData("""{"type":"T","deadline":0}""", "Deadline 0 s must be greater than zero.")]
    [InlineData("""{"type":"T","backoff":-0.5}""", "The retry backoff cannot be negative.")]
    [InlineData("""{"type":"T","priority":2.5}""", "\"priority\": 2.5 is not a whole number")]
    [InlineData("""{"type":"T","retries":"3"}""", "\"retries\": \"3\" is not a whole number")]
    [InlineData("""{"type":"T","deadline":"soon"}""", "\"deadline\": \"soon\" is not a number of seconds")]
    [InlineData("""{"type":"T","backoff":1e300}""", "\"backoff\": 1e300 s is too long")]
    [InlineData("""{"type":"T","prority":3}""", "unknown field \"prority\"; the fields are type, data, payload, priority, retries, deadline, backoff")]
    [InlineData("""{"type":"T","data":"x","payload":"eA=="}""", "\"data\" and \"payload\" cannot be used together")]
    [InlineData("""{"type":"T","payload":"not base64!"}""", "\"payload\": \"not base64!\" is not base64 text")]
    [InlineData("""{"type":"T","data":42}""", "\"data\": 42 is not a string")]
    [InlineData("""{"type":null}""", "\"type\": null is not a string")]
    [InlineData("""{"type":"BAD TYPE"}""", "The job type 'BAD TYPE' contains white space or control characters.")]
    [InlineData("""{"type":""}""", "The job type is empty.")]
    [InlineData("""{"type":"T","type":"U"}""", "\"type\" is given twice")]
    [InlineData("""{"data":"x"}""", "no \"type\": give it on each line, or TYPE on the command line")]
    [InlineData("""["T"]""", "expected a JSON object such as {\"type\": \"T\"}, not [\"T\"]")]
    [InlineData("""{"type":"T" """, "not valid JSON at column")]
    [InlineData("SUBMIT T --priority=2", "not valid JSON at column 1")]
    public async Task File_WithABadLine_ExitsTwo_NamingTheLine_AndSubmitsNothing(string badLine, string expectedMessage)
    {
        var connector = new FakeQueueConnector();
        var stdin = $"{{\"type\":\"GOOD\"}}\n# comment\n{badLine}\n{{\"type\":\"GOOD\"}}\n";

        var run = await CliRun.StartAsync(connector, ["submit", "--file", "-"], stdin);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"error: stdin:3: {expectedMessage}", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
        Assert.Empty(connector.Queue.Submissions);
        Assert.Empty(connector.Connections);
    }

    [Fact]
    public async Task File_ThatIsNotUtf8_ExitsTwo_SayingSo_AndSubmitsNothing()
    {
        // Its bad bytes were replaced with U+FFFD in the payload, and the job was sent.
        var connector = new FakeQueueConnector();
        using var file = TempFile.Bytes([.. "{\"type\":\"A\"}\n{\"type\":\"A\", \"data\":\""u8, 0xFF, 0xFE, .. "\"}\n"u8]);

        var run = await CliRun.StartAsync(connector, ["submit", "--file", file.Path]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"error: {file.Path}: it is not UTF-8 text (bytes FF", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(connector.Queue.Submissions);
        Assert.Empty(connector.Connections);
    }

    [Fact]
    public async Task Stdin_ThatIsNotUtf8_ExitsTwo_SayingSo_AndSubmitsNothing()
    {
        // Console.In replaced the bad bytes with U+FFFD, and the job was sent with them.
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "--file", "-"], [.. "{\"type\":\"A\"}\n{\"type\":\"A\", \"data\":\""u8, 0xC3, 0x28, .. "\"}\n"u8]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: stdin: it is not UTF-8 text (bytes C3", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(connector.Queue.Submissions);
        Assert.Empty(connector.Connections);
    }

    [Fact]
    public async Task File_ReportsEveryBadLine_UpToTwenty_ThenHowManyMore()
    {
        var connector = new FakeQueueConnector();
        // Line 1 is good; lines 2 to 25 ask for priorities 12 to 35.
        var lines = Enumerable.Range(1, 25).Select(line => line == 1 ? "{\"type\":\"T\"}" : $"{{\"type\":\"T\",\"priority\":{10 + line}}}");
        using var file = TempFile.Text(string.Join("\n", lines));

        var run = await CliRun.StartAsync(connector, ["submit", "--file", file.Path]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(21, run.StderrLines.Count);
        Assert.All(
            Enumerable.Range(2, 20).Zip(run.StderrLines),
            pair => Assert.StartsWith($"error: {file.Path}:{pair.First}: Priority {10 + pair.First} is out of range", pair.Second, StringComparison.Ordinal));
        Assert.Equal("error: … and 4 more bad lines", run.StderrLines[^1]);
        Assert.Empty(connector.Queue.Submissions);
    }

    [Fact]
    public async Task File_ThatIsMissing_ExitsTwo_NamingIt_WithoutConnecting()
    {
        var connector = new FakeQueueConnector();
        var path = Path.Combine(Path.GetTempPath(), $"oq-cli-missing-{Guid.NewGuid():N}.jsonl");

        var run = await CliRun.StartAsync(connector, ["submit", "--file", path]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: jobs file '{path}' not found", Assert.Single(run.StderrLines));
        Assert.Empty(connector.Connections);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n   \n# only comments\n")]
    public async Task File_WithNoJob_ExitsTwo_SayingSo(string stdin)
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--file", "-"], stdin);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: stdin holds no jobs: every line is blank or a # comment", Assert.Single(run.StderrLines));
        Assert.Empty(connector.Connections);
    }

    [Fact]
    public async Task File_WithJobsTheSiloRefuses_PrintsTheQueuedIds_NamesEachRefusedLine_AndExitsOne()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.InvalidPayloads["huge"] = "Retries 1000 is above the limit of 100.";
        connector.Queue.FailedPayloads["unlucky"] = "the silo did not answer";
        const string Stdin = """
            {"type":"A"}
            {"type":"B","data":"huge"}
            {"type":"C"}
            {"type":"D","data":"unlucky"}
            """;

        var run = await CliRun.StartAsync(connector, ["submit", "--file", "-"], Stdin);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["A", "C"], run.StdoutLines.Select(id => connector.Queue.Jobs[Guid.Parse(id)].Type));
        Assert.Equal(
            ["error: stdin:2: Retries 1000 is above the limit of 100.", "error: stdin:4: not stored: the silo did not answer"],
            run.StderrLines);
    }

    [Fact]
    public async Task Count_WhoseEveryJobTheSiloRefuses_ExitsTwo_AsOneRefusedSubmitDoes()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.InvalidPayloads["x"] = "The payload is too large.";

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--count", "3", "--data", "x"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Equal(
            ["error: job 1 of 3: The payload is too large.", "error: job 2 of 3: The payload is too large.", "error: job 3 of 3: The payload is too large."],
            run.StderrLines);
    }

    [Fact]
    public async Task Count_WhoseJobsTheSiloCouldNotStore_ExitsOne_EvenWithNoneQueued()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.FailedPayloads[""] = "storage is down";

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--count", "2"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["error: job 1 of 2: not stored: storage is down", "error: job 2 of 2: not stored: storage is down"], run.StderrLines);
    }

    [Fact]
    public async Task File_WhoseCallGotNoAnswer_ExitsOne_AndNamesTheJobsIdSoItsStatusCanTell()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.UnknownPayloads["lost"] = "the silo did not answer: timed out";

        var run = await CliRun.StartAsync(connector, ["submit", "--file", "-", "--json"], "{\"type\":\"A\"}\n{\"type\":\"B\",\"data\":\"lost\"}\n");

        Assert.Equal(1, run.ExitCode);
        using var document = JsonDocument.Parse(run.Stdout);
        var unknown = document.RootElement[1];
        Assert.Equal("UNKNOWN", unknown.GetProperty("outcome").GetString());
        var id = unknown.GetProperty("id").GetString();
        Assert.True(JobId.TryParse(id, out _), run.ToString());
        var line = Assert.Single(run.StderrLines);
        Assert.Equal($"error: stdin:2: UNKNOWN {id} may or may not be queued (the silo did not answer: timed out); `status {id}` tells", line);
    }

    [Fact]
    public async Task File_WhoseCallsGotNoAnswer_NamesEveryUnknownJobsId_AndNoneAsNotQueued()
    {
        // 1000 jobs, the last 980 in calls that got no answer: each may be queued, and only its id tells.
        var connector = new FakeQueueConnector();
        connector.Queue.UnknownPayloads["lost"] = "the silo did not answer: timed out";
        var stdin = string.Concat(Enumerable.Range(1, 1000).Select(line => line <= 20 ? "{\"type\":\"T\"}\n" : "{\"type\":\"T\",\"data\":\"lost\"}\n"));

        var run = await CliRun.StartAsync(connector, ["submit", "--file", "-"], stdin);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(20, run.StdoutLines.Count);
        Assert.Equal(980, connector.Queue.Unanswered.Count);
        Assert.Equal(
            Enumerable.Range(21, 980).Zip(connector.Queue.Unanswered.Select(JobId.Format)).Select(job =>
                $"error: stdin:{job.First}: UNKNOWN {job.Second} may or may not be queued (the silo did not answer: timed out); `status {job.Second}` tells"),
            run.StderrLines);
        Assert.DoesNotContain("not queued", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Count_WithABatchThatGotNoAnswer_PrintsTheQueuedIds_AndEveryUnknownId_ExitingOne()
    {
        // The reviewer's run: the fourth batch of six got no answer while silos were killed.
        var connector = new FakeQueueConnector();
        connector.Queue.UnknownAt = i => i is >= 3000 and < 4000 ? "the silo did not answer: the gateway was lost" : null;

        var run = await CliRun.StartAsync(connector, ["submit", "S17", "--data", "{\"durationMs\":20}", "--count", "6000"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(connector.Queue.Jobs.Keys.Select(JobId.Format).Order(), run.StdoutLines.Order());
        Assert.Equal(5000, run.StdoutLines.Count);
        var unknown = connector.Queue.Unanswered.Select(JobId.Format).ToList();
        Assert.Equal(1000, unknown.Count);
        Assert.Equal(
            Enumerable.Range(3001, 1000).Zip(unknown).Select(job =>
                $"error: job {job.First} of 6000: UNKNOWN {job.Second} may or may not be queued (the silo did not answer: the gateway was lost); `status {job.Second}` tells"),
            run.StderrLines);
    }

    [Fact]
    public async Task RefusedFailedAndUnknownJobs_CapOnlyTheJobsSurelyNotQueued_AndNameEveryUnknownOne()
    {
        // Lines 1 to 60 cycle through refused, not stored, no answer and refused again: 30 refused, 15 not stored, 15 unknown.
        var connector = new FakeQueueConnector();
        connector.Queue.InvalidPayloads["bad"] = "The payload is too large.";
        connector.Queue.FailedPayloads["unlucky"] = "storage is down";
        connector.Queue.UnknownPayloads["lost"] = "the silo did not answer: timed out";
        string[] cycle = ["bad", "unlucky", "lost", "bad"];
        var stdin = string.Concat(Enumerable.Range(0, 60).Select(i => $"{{\"type\":\"T\",\"data\":\"{cycle[i % 4]}\"}}\n"));

        var run = await CliRun.StartAsync(connector, ["submit", "--file", "-"], stdin);

        // Some jobs may be queued, so not 2 (which promises nothing changed).
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("", run.Stdout);
        var unknown = connector.Queue.Unanswered.Select(JobId.Format).ToList();
        Assert.Equal(15, unknown.Count);
        Assert.Equal(
            Enumerable.Range(0, 15).Select(k => $"error: stdin:{(4 * k) + 3}: UNKNOWN {unknown[k]} may or may not be queued (the silo did not answer: timed out); `status {unknown[k]}` tells"),
            run.StderrLines.Where(line => line.Contains("UNKNOWN", StringComparison.Ordinal)));
        var surelyNotQueued = run.StderrLines.Where(line => !line.Contains("UNKNOWN", StringComparison.Ordinal)).ToList();
        Assert.Equal(21, surelyNotQueued.Count);
        Assert.Equal(
            Enumerable.Range(1, 60).Where(line => line % 4 != 3).Take(20),
            surelyNotQueued.Take(20).Select(line => int.Parse(line.Split(':')[2], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("error: … and 25 more jobs not queued", surelyNotQueued[^1]);
        Assert.Equal(surelyNotQueued[^1], run.StderrLines[^1]);
    }

    [Fact]
    public async Task Count_WithManyRefused_ShowsTwenty_ThenHowManyMore()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.InvalidPayloads[""] = "no";

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--count", "25"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(21, run.StderrLines.Count);
        Assert.Equal("error: job 20 of 25: no", run.StderrLines[19]);
        Assert.Equal("error: … and 5 more jobs not queued", run.StderrLines[^1]);
    }

    [Fact]
    public async Task RefusedJobs_InJson_HaveNoId_TheirOutcome_AndTheSilosMessage()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.InvalidPayloads["bad"] = "The job type is 200 characters long; the limit is 128.";

        var run = await CliRun.StartAsync(connector, ["submit", "--file", "-", "--json"], "{\"type\":\"A\"}\n{\"type\":\"B\",\"data\":\"bad\"}\n");

        Assert.Equal(1, run.ExitCode);
        using var document = JsonDocument.Parse(run.Stdout);
        var refused = document.RootElement[1];
        Assert.Equal((2, 2, JsonValueKind.Null, "INVALID", "The job type is 200 characters long; the limit is 128."), (
            refused.GetProperty("job").GetInt32(),
            refused.GetProperty("line").GetInt32(),
            refused.GetProperty("id").ValueKind,
            refused.GetProperty("outcome").GetString(),
            refused.GetProperty("error").GetString()));
        Assert.Equal("QUEUED", document.RootElement[0].GetProperty("outcome").GetString());
        Assert.Equal(["error: stdin:2: The job type is 200 characters long; the limit is 128."], run.StderrLines);
    }

    [Theory]
    [InlineData("--count and --file cannot be used together", "submit", "T", "--count", "2", "--file", "jobs.jsonl")]
    [InlineData("--wait follows one job: it cannot be used with --count", "submit", "T", "--count", "2", "--wait")]
    [InlineData("--wait follows one job: it cannot be used with --file", "submit", "--file", "jobs.jsonl", "--wait")]
    [InlineData("Required argument 'TYPE' missing", "submit", "--count", "3")]
    [InlineData("Required argument 'TYPE' missing", "submit", "--data", "x")]
    [InlineData("--count 0 is out of range: it must be from 1 to 10000000", "submit", "T", "--count", "0")]
    [InlineData("--count 10000001 is out of range", "submit", "T", "--count=10000001")]
    [InlineData("--count: 'many' is not a whole number", "submit", "T", "--count", "many")]
    [InlineData("--payload and --data cannot be used together", "submit", "--file", "jobs.jsonl", "--payload", "a.bin", "--data", "x")]
    [InlineData("--wait-timeout needs --wait", "submit", "--file", "jobs.jsonl", "--wait-timeout", "5")]
    public async Task BadCombination_ExitsTwo_WithOneErrorLine_WithoutConnecting(string expectedMessage, params string[] args)
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, args);

        run.AssertUsageError(expectedMessage);
        Assert.Empty(connector.Connections);
    }

    [Fact]
    public async Task Interactive_SubmitCount_And_SubmitFile_Work_OverTheSessionsConnection()
    {
        var connector = new FakeQueueConnector();
        using var file = TempFile.Text("{\"type\":\"FROM_FILE\"}\n");

        var run = await CliRun.StartAsync(connector, [], $"SUBMIT T --count 3\nsubmit --file=\"{file.Path}\"\nSHUTDOWN\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(connector.Connections);
        Assert.Equal(["T", "T", "T", "FROM_FILE"], connector.Queue.Submissions.Select(s => s.Type));
        Assert.Equal(["T", "T", "T", "FROM_FILE"], run.StdoutLines.Select(id => connector.Queue.Jobs[Guid.Parse(id)].Type));
    }

    [Fact]
    public async Task Interactive_FileDash_IsRefused_AndTheSessionsNextLinesStillRun()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, [], "SUBMIT --file -\n{\"type\":\"NOT_A_JOB\"}\nSUBMIT T\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("T", Assert.Single(connector.Queue.Submissions).Type);
        Assert.Equal(2, run.StderrLines.Count);
        Assert.Equal("error: --file -: stdin carries this session's commands; give the path of a jobs file", run.StderrLines[0]);
        Assert.StartsWith("error: unknown command '{type:NOT_A_JOB}'", run.StderrLines[1], StringComparison.Ordinal);
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>A file in the temp folder, deleted at the end of the test.</summary>
    private sealed class TempFile : IDisposable
    {
        private TempFile(string path) => Path = path;

        public string Path { get; }

        public static TempFile Text(string text) => Bytes(Encoding.UTF8.GetBytes(text));

        public static TempFile Bytes(byte[] bytes)
        {
            var file = new TempFile(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"oq-cli-{Guid.NewGuid():N}.jsonl"));
            File.WriteAllBytes(file.Path, bytes);
            return file;
        }

        public void Dispose() => File.Delete(Path);
    }
}

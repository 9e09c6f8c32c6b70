using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrleansQueue.Hosting;

namespace OrleansQueue.Tests.Silo;

/// <summary>A value the configuration binder cannot convert is one line in a user's words: the key, the value (cut and
/// escaped), and what it must be, never a .NET type's name.</summary>
public sealed class InvalidConfigurationTests
{
    private sealed class Settings
    {
        public int Shards { get; set; }

        public TimeSpan Interval { get; set; }

        public QueueStorageKind Storage { get; set; }
    }

    private static string Refusal(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new($"Section:{key}", value)]).Build();
        using var error = new StringWriter();
        Assert.False(InvalidConfiguration.TryBind<Settings>(configuration, "Section", error, out _));
        return Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("Shards", "abc", "error: invalid configuration: Section:Shards is 'abc', which is not a whole number.")]
    [InlineData("Interval", "soon", "error: invalid configuration: Section:Interval is 'soon', which is not a duration such as 00:00:30.")]
    [InlineData("Storage", "foo", "error: invalid configuration: Section:Storage is 'foo', which is not one of Local, Memory, Redis.")]
    public void AValueTheBinderCannotConvert_IsSaidInAUsersWords(string key, string value, string expected)
    {
        Assert.Equal(expected, Refusal(key, value));
    }

    private sealed class Ranged
    {
        [Range(1, 65535, ErrorMessage = "--port (Section:Port) must be a port from 1 to 65535.")]
        public int Port { get; set; }
    }

    [Fact]
    public void AValueAnAnnotationRefuses_IsTheAnnotationsMessage_NotTheValidatorsWrapping()
    {
        var validator = new DataAnnotationValidateOptions<Ranged>(Options.DefaultName);
        var result = validator.Validate(Options.DefaultName, new Ranged { Port = 70000 });
        var exception = new OptionsValidationException(Options.DefaultName, typeof(Ranged), result.Failures);

        Assert.Equal("invalid configuration: --port (Section:Port) must be a port from 1 to 65535.", InvalidConfiguration.Describe(exception));
    }

    [Fact]
    public void ALongValue_IsEchoedCut()
    {
        var line = Refusal("Shards", new string('9', 500));

        Assert.True(line.Length < 200, line);
        Assert.EndsWith("…', which is not a whole number.", line, StringComparison.Ordinal);
    }
}

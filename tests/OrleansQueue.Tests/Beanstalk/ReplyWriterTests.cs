using System.Buffers;
using System.Text;
using OrleansQueue.Silo.Beanstalk.Protocol;

namespace OrleansQueue.Tests.Beanstalk;

public sealed class ReplyWriterTests
{
    private static string Written(BeanstalkReply reply)
    {
        var output = new ArrayBufferWriter<byte>();
        ReplyWriter.Write(output, reply);
        return Encoding.Latin1.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Line_EndsInCrlf()
    {
        Assert.Equal("INSERTED 42\r\n", Written(BeanstalkReply.WithNumber("INSERTED", 42)));
        Assert.Equal("USING default\r\n", Written(BeanstalkReply.WithName("USING", "default")));
        Assert.Equal("NOT_FOUND\r\n", Written(BeanstalkReply.NotFound));
    }

    [Fact]
    public void Job_SendsIdSizeAndTheBodyUnchanged()
    {
        byte[] body = [0, 13, 10, 255];
        Assert.Equal("RESERVED 7 4\r\n\0\r\n\u00ff\r\n", Written(new BeanstalkReply.Job("RESERVED", 7, body)));
    }

    [Fact]
    public void Data_SendsTheYamlWithItsSize()
    {
        Assert.Equal("OK 20\r\n---\n- default\n- bar\n\r\n", Written(new BeanstalkReply.Data(YamlDocument.List(["default", "bar"]))));
    }

    [Fact]
    public void Close_WritesNothing()
    {
        Assert.Equal("", Written(BeanstalkReply.Closed));
    }
}

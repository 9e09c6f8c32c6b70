using System.Buffers;
using System.Globalization;
using System.Text;

namespace OrleansQueue.Silo.Beanstalk.Protocol;

/// <summary>Puts replies on the wire: ASCII lines ending in CRLF, a job's or a YAML document's bytes after its line.</summary>
public static class ReplyWriter
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <summary>Writes <paramref name="reply"/>; a <see cref="BeanstalkReply.Close"/> writes nothing.</summary>
    public static void Write(IBufferWriter<byte> output, BeanstalkReply reply)
    {
        ArgumentNullException.ThrowIfNull(output);
        switch (reply)
        {
            case BeanstalkReply.Line line:
                WriteLine(output, line.Text);
                break;
            case BeanstalkReply.Job job:
                WriteLine(output, string.Create(CultureInfo.InvariantCulture, $"{job.Word} {job.Id} {job.Body.Length}"));
                WriteBody(output, job.Body.Span);
                break;
            case BeanstalkReply.Data data:
                WriteLine(output, string.Create(CultureInfo.InvariantCulture, $"OK {data.Yaml.Length}"));
                WriteBody(output, data.Yaml.Span);
                break;
            case BeanstalkReply.Close:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(reply), reply, "not a reply this writer knows");
        }
    }

    private static void WriteLine(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length + 2);
        var written = Encoding.ASCII.GetBytes(text, span);
        Crlf.CopyTo(span[written..]);
        output.Advance(written + 2);
    }

    private static void WriteBody(IBufferWriter<byte> output, ReadOnlySpan<byte> body)
    {
        output.Write(body);
        output.Write(Crlf);
    }
}

using Microsoft.Extensions.DependencyInjection;
using OrleansQueue.Tests.Worker.Fakes;
using OrleansQueue.Worker.Handlers;

namespace OrleansQueue.Tests.Worker;

public sealed class JobHandlerResolutionTests
{
    private static ServiceProvider CreateServices(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        services.AddTransient<SimulationHandler>();
        services.AddSingleton(TimeProvider.System);
        return services.BuildServiceProvider(validateScopes: true);
    }

    [Fact]
    public void Resolve_ReturnsTheRegisteredHandler_ForItsJobType()
    {
        using var services = CreateServices(s => s.AddJobHandler<EchoHandler>("TRANSCODE_VIDEO").AddJobHandler<ThrowingHandler>("RESIZE_IMAGE"));

        Assert.IsType<EchoHandler>(JobHandlerResolver.Resolve(services, "TRANSCODE_VIDEO"));
        Assert.IsType<ThrowingHandler>(JobHandlerResolver.Resolve(services, "RESIZE_IMAGE"));
    }

    [Theory]
    [InlineData("SEND_EMAIL")]
    [InlineData("transcode_video")]
    [InlineData("TRANSCODE_VIDEO ")]
    public void Resolve_FallsBackToTheSimulation_ForATypeWithoutAHandlerOfItsOwn(string jobType)
    {
        using var services = CreateServices(s => s.AddJobHandler<EchoHandler>("TRANSCODE_VIDEO"));

        Assert.IsType<SimulationHandler>(JobHandlerResolver.Resolve(services, jobType));
    }

    [Fact]
    public void Resolve_FallsBackToTheSimulation_WhenNoHandlerIsRegisteredAtAll()
    {
        using var services = CreateServices(_ => { });

        Assert.IsType<SimulationHandler>(JobHandlerResolver.Resolve(services, "ANYTHING"));
    }

    [Fact]
    public void AddJobHandler_CreatesAHandlerPerAttempt()
    {
        using var services = CreateServices(s => s.AddJobHandler<EchoHandler>("ECHO"));

        Assert.NotSame(JobHandlerResolver.Resolve(services, "ECHO"), JobHandlerResolver.Resolve(services, "ECHO"));
    }

    [Fact]
    public void AddJobHandler_Twice_WithTheSameHandler_RegistersItOnce()
    {
        var services = new ServiceCollection().AddJobHandler<EchoHandler>("ECHO").AddJobHandler<EchoHandler>("ECHO");

        Assert.Single(services, d => d.IsKeyedService && Equals(d.ServiceKey, "ECHO"));
    }

    [Fact]
    public void AddJobHandler_Throws_WhenTheTypeAlreadyHasAnotherHandler()
    {
        var services = new ServiceCollection().AddJobHandler<EchoHandler>("ECHO");

        var error = Assert.Throws<InvalidOperationException>(() => services.AddJobHandler<ThrowingHandler>("ECHO"));
        Assert.Contains("EchoHandler", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("SEND EMAIL")]
    public void AddJobHandler_RejectsATypeNoJobCanHave(string jobType)
    {
        Assert.ThrowsAny<ArgumentException>(() => new ServiceCollection().AddJobHandler<EchoHandler>(jobType));
    }
}

"""M/M/1 (lambda = 0.9, mu = 1) on SimPy, the textbook way: a source process
creates customers; each requests a one-server Resource, holds it for an
exponential service time and releases it. Works with SimPy 3/4 (`import
simpy`) and with SimPy 2 (`from SimPy.Simulation import ...`, what Debian's
python3-simpy package ships). Prints one JSON line: SimPy version, customers,
model events (2 per customer: arrival and departure, as counted for every
implementation in the benchmark), wall seconds and the mean response time."""
import json
import random
import sys
import time

LAMBDA, MU = 0.9, 1.0


def run_simpy3(customers, rng):
    import simpy

    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    total = [0.0, 0]

    def customer():
        t0 = env.now
        with server.request() as req:
            yield req
            yield env.timeout(rng.expovariate(MU))
        total[0] += env.now - t0
        total[1] += 1

    def source():
        for _ in range(customers):
            yield env.timeout(rng.expovariate(LAMBDA))
            env.process(customer())

    env.process(source())
    start = time.perf_counter()
    env.run()
    return simpy.__version__, time.perf_counter() - start, total


def run_simpy2(customers, rng):
    import SimPy
    from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate

    total = [0.0, 0]

    class Customer(Process):
        def visit(self, server):
            t0 = now()
            yield request, self, server
            yield hold, self, rng.expovariate(MU)
            yield release, self, server
            total[0] += now() - t0
            total[1] += 1

    class Source(Process):
        def generate(self, server):
            for _ in range(customers):
                yield hold, self, rng.expovariate(LAMBDA)
                c = Customer()
                activate(c, c.visit(server))

    initialize()
    server = Resource(capacity=1)
    source = Source()
    activate(source, source.generate(server))
    start = time.perf_counter()
    simulate(until=1e15)
    return getattr(SimPy, "__version__", "2.x"), time.perf_counter() - start, total


def main() -> None:
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    try:
        import simpy  # noqa: F401

        version, wall, total = run_simpy3(customers, rng)
    except ImportError:
        version, wall, total = run_simpy2(customers, rng)
    print(json.dumps({"simpy": version, "customers": total[1], "events": 2 * total[1], "wall_s": wall, "mean_response": total[0] / total[1]}))


if __name__ == "__main__":
    main()

"""The benchmark objectives of crates/testfunctions, for the Python peers."""
import math

def sphere(x): return sum(v * v for v in x)
def rosenbrock(x): return sum(100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2 for i in range(len(x) - 1))
def rastrigin(x): return 10.0 * len(x) + sum(v * v - 10.0 * math.cos(2.0 * math.pi * v) for v in x)
def ackley(x):
    n = len(x)
    s1 = sum(v * v for v in x) / n
    s2 = sum(math.cos(2.0 * math.pi * v) for v in x) / n
    return -20.0 * math.exp(-0.2 * math.sqrt(s1)) - math.exp(s2) + 20.0 + math.e
def styblinski_tang(x): return sum(v ** 4 - 16.0 * v * v + 5.0 * v for v in x) / 2.0

FUNCTIONS = {
    "sphere": (-5.0, 5.0, lambda d: 0.0, sphere),
    "rosenbrock": (-2.0, 2.0, lambda d: 0.0, rosenbrock),
    "rastrigin": (-5.12, 5.12, lambda d: 0.0, rastrigin),
    "ackley": (-5.0, 5.0, lambda d: 0.0, ackley),
    "styblinski_tang": (-5.0, 5.0, lambda d: -39.16616570377142 * d, styblinski_tang),
}

MIXED_CHOICES = {"a": 1.0, "b": 0.0, "c": 0.5, "d": 2.0}

def mixed(x, lr, n, c):
    return x * x + (math.log10(lr) + 3.0) ** 2 + (n - 7) ** 2 / 10.0 + MIXED_CHOICES[c]

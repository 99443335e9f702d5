// TillTestSupport: helpers for the test targets. The throwaway PostgreSQL cluster and child processes
// live in TillLocalServices (the bench uses them too), the seeded input generators in TillFuzzing (the
// core's tests use them without the rest); every test target sees both through this module.
@_exported import TillFuzzing
@_exported import TillLocalServices

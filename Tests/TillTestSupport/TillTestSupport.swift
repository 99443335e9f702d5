// TillTestSupport: helpers for the test targets. The throwaway PostgreSQL cluster and child processes
// live in TillLocalServices (the bench uses them too); every test target sees them through this module.
@_exported import TillLocalServices

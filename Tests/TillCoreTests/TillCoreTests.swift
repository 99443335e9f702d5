// TillCoreTests

// TillStoreTests

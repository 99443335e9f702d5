// TillTestSupport

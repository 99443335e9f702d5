// TillTUITests

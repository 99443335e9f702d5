// TillClientTests

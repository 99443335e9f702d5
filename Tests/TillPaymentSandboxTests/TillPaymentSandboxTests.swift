// TillPaymentSandboxTests

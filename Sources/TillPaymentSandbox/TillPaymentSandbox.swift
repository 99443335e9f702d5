// TillPaymentSandbox

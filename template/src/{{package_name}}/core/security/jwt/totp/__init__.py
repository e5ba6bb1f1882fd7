"""TOTP as a second factor (mfa=totp): enrolment, verification, recovery codes and the
encryption of the TOTP secrets at rest."""

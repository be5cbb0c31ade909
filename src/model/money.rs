//! Money is a `Decimal` with its ISO 4217 currency; never a float.
//!
//! An amount never carries more decimals than its currency has (EUR 2, JPY 0, BHD 3): that
//! is what lets the ledger store exact integer minor units and the outbox print amounts
//! without rounding anything.

use std::fmt;

use rust_decimal::Decimal;
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    exponent: u32,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum MoneyError {
    #[error("\"{0}\" is not an ISO 4217 currency code (examples: EUR, GBP, USD, CHF)")]
    UnknownCurrency(String),
    #[error("{amount} has more decimals than {currency} allows ({exponent})")]
    TooManyDecimals {
        amount: Decimal,
        currency: Currency,
        exponent: u32,
    },
    #[error("{0} is too large to store")]
    TooLarge(Decimal),
}

impl Currency {
    pub fn from_code(code: &str) -> Result<Currency, MoneyError> {
        let upper = code.trim().to_ascii_uppercase();
        let iso = iso_currency::Currency::from_code(&upper)
            .ok_or_else(|| MoneyError::UnknownCurrency(code.trim().to_string()))?;
        // Funds and metals (XAU, XDR …) have no minor unit; no bank books them.
        let exponent = iso
            .exponent()
            .ok_or_else(|| MoneyError::UnknownCurrency(code.trim().to_string()))?;
        let bytes = upper.as_bytes();
        Ok(Currency {
            code: [bytes[0], bytes[1], bytes[2]],
            exponent: u32::from(exponent),
        })
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).expect("currency codes are ASCII")
    }

    pub fn exponent(&self) -> u32 {
        self.exponent
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    /// Refuses an amount with more decimals than the currency has, rather than rounding it.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Money, MoneyError> {
        let normalized = amount.normalize();
        if normalized.scale() > currency.exponent {
            return Err(MoneyError::TooManyDecimals {
                amount,
                currency,
                exponent: currency.exponent,
            });
        }
        let mut amount = normalized;
        amount.rescale(currency.exponent);
        Ok(Money { amount, currency })
    }

    pub fn zero(currency: Currency) -> Money {
        Money::from_minor(0, currency)
    }

    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money {
            amount: Decimal::new(minor, currency.exponent),
            currency,
        }
    }

    /// Integer minor units (cents), the form the ledger stores.
    pub fn to_minor(&self) -> Result<i64, MoneyError> {
        let mut scaled = self.amount;
        scaled.rescale(self.currency.exponent);
        i64::try_from(scaled.mantissa()).map_err(|_| MoneyError::TooLarge(self.amount))
    }

    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    pub fn abs(&self) -> Money {
        Money {
            amount: self.amount.abs(),
            currency: self.currency,
        }
    }
}

impl fmt::Display for Money {
    /// `EUR 1234.50`: the plain form used in explanations and summaries.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, self.amount)
    }
}

impl std::ops::Neg for Money {
    type Output = Money;

    /// The same sum the other way: money in becomes money out.
    fn neg(self) -> Money {
        Money {
            amount: -self.amount,
            currency: self.currency,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn eur() -> Currency {
        Currency::from_code("EUR").unwrap()
    }

    #[test]
    fn currency_codes_are_checked_against_iso_4217() {
        assert_eq!(Currency::from_code("eur").unwrap().code(), "EUR");
        assert_eq!(Currency::from_code("JPY").unwrap().exponent(), 0);
        assert_eq!(Currency::from_code("BHD").unwrap().exponent(), 3);
        assert!(matches!(
            Currency::from_code("EUX"),
            Err(MoneyError::UnknownCurrency(_))
        ));
    }

    #[test]
    fn money_refuses_fractions_of_a_cent() {
        let err = Money::new(Decimal::from_str("12.345").unwrap(), eur()).unwrap_err();
        assert!(matches!(err, MoneyError::TooManyDecimals { .. }));
        let ok = Money::new(Decimal::from_str("12.3").unwrap(), eur()).unwrap();
        assert_eq!(ok.amount.to_string(), "12.30");
        assert_eq!(ok.to_minor().unwrap(), 1230);
    }

    #[test]
    fn minor_units_round_trip() {
        let m = Money::from_minor(-123456, eur());
        assert_eq!(m.amount.to_string(), "-1234.56");
        assert_eq!(m.to_minor().unwrap(), -123456);
        let yen = Currency::from_code("JPY").unwrap();
        assert_eq!(Money::from_minor(500, yen).amount.to_string(), "500");
    }
}

//! Checking a password under the sign-in limits (see `rate_limit`): the same
//! for signing in, changing the password and deleting the account.

use crate::core::UserId;
use crate::error::ApiError;
use crate::rate_limit::{BudgetKey, PasswordGuess};
use crate::state::AppState;

/// The failure budget of an existing account, whichever identifier was typed.
pub fn account_budget_key(user: UserId) -> BudgetKey {
    BudgetKey::of("account", user.as_uuid().as_bytes())
}

/// Verifies `password` against `stored_hash` (`None`: no such account) if
/// `guess` still has failures to spend (429 otherwise); a wrong password
/// spends one. The caller has already spent the address's attempt.
pub async fn verify_within_limits(
    state: &AppState,
    guess: &PasswordGuess,
    password: &str,
    stored_hash: Option<String>,
) -> Result<bool, ApiError> {
    state.rate_limits.password_budget(guess)?;
    let matches = state.passwords.verify(password, stored_hash).await?;
    if !matches {
        state.rate_limits.password_failed(guess);
    }
    Ok(matches)
}

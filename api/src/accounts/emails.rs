//! The texts of account emails, in the reader's language, as plain text and HTML.

use crate::core::Locale;
use crate::mail::OutgoingEmail;

pub fn email_verification(to: &str, name: &str, locale: Locale, link: &str) -> OutgoingEmail {
    let (subject, greeting, body, button, ignore) = match locale {
        Locale::En => (
            "Confirm your email for NoxChat",
            "Hello",
            "Please confirm that this is your email address by opening the link below.",
            "Confirm email",
            "If you did not create a NoxChat account, ignore this email.",
        ),
        Locale::Ru => (
            "Подтвердите почту для NoxChat",
            "Здравствуйте",
            "Пожалуйста, подтвердите, что это ваш адрес, открыв ссылку ниже.",
            "Подтвердить почту",
            "Если вы не регистрировались в NoxChat, просто не отвечайте на это письмо.",
        ),
    };
    greeted(to, name, link, [subject, greeting, body, button, ignore])
}

pub fn registration_confirmation(
    to: &str,
    name: &str,
    locale: Locale,
    link: &str,
) -> OutgoingEmail {
    let (subject, greeting, body, button, ignore) = match locale {
        Locale::En => (
            "Confirm your email to create your NoxChat account",
            "Hello",
            "Open the link below to finish creating your NoxChat account. It works once, for 24 hours.",
            "Create my account",
            "If you did not try to create a NoxChat account, ignore this email: nothing is created.",
        ),
        Locale::Ru => (
            "Подтвердите почту, чтобы создать учётную запись NoxChat",
            "Здравствуйте",
            "Откройте ссылку ниже, чтобы завершить регистрацию в NoxChat. Она действует один раз в течение суток.",
            "Создать учётную запись",
            "Если вы не регистрировались в NoxChat, ничего не делайте: учётная запись не будет создана.",
        ),
    };
    greeted(to, name, link, [subject, greeting, body, button, ignore])
}

/// To the owner of an address someone tried to register again: registering
/// answers alike either way, so only the owner learns the address is taken.
pub fn registration_attempt(
    to: &str,
    name: &str,
    handle: &str,
    locale: Locale,
    sign_in_link: &str,
) -> OutgoingEmail {
    let (subject, greeting, body, button, ignore) = match locale {
        Locale::En => (
            "Someone tried to register with your email on NoxChat",
            "Hello",
            format!(
                "Someone, perhaps you, tried to create a new NoxChat account with this address, \
                 which already has one: @{handle}. If it was you, sign in; if you forgot your \
                 password, the sign-in page can reset it."
            ),
            "Sign in",
            "If it was not you, ignore this email: nothing has changed.",
        ),
        Locale::Ru => (
            "Кто-то пытался зарегистрироваться в NoxChat с вашим адресом",
            "Здравствуйте",
            format!(
                "Кто-то, возможно вы, пытался создать новую учётную запись NoxChat с этим адресом, \
                 но у него уже есть учётная запись: @{handle}. Если это были вы, войдите; если вы \
                 забыли пароль, его можно сбросить на странице входа."
            ),
            "Войти",
            "Если это были не вы, ничего не делайте: ничего не изменилось.",
        ),
    };
    greeted(
        to,
        name,
        sign_in_link,
        [subject, greeting, &body, button, ignore],
    )
}

pub fn password_reset(to: &str, name: &str, locale: Locale, link: &str) -> OutgoingEmail {
    let (subject, greeting, body, button, ignore) = match locale {
        Locale::En => (
            "Reset your NoxChat password",
            "Hello",
            "Someone asked to reset the password of your NoxChat account. The link below works once, for 30 minutes.",
            "Choose a new password",
            "If it was not you, ignore this email: your password stays as it is.",
        ),
        Locale::Ru => (
            "Сброс пароля NoxChat",
            "Здравствуйте",
            "Кто-то запросил сброс пароля вашей учётной записи NoxChat. Ссылка ниже действует один раз в течение 30 минут.",
            "Выбрать новый пароль",
            "Если это были не вы, ничего не делайте: пароль останется прежним.",
        ),
    };
    greeted(to, name, link, [subject, greeting, body, button, ignore])
}

/// An email that greets the reader by name: `texts` are the subject, the
/// greeting word, the body, the button's label and the "ignore" line.
fn greeted(to: &str, name: &str, link: &str, texts: [&str; 5]) -> OutgoingEmail {
    let [subject, greeting, body, button, ignore] = texts;
    render(
        to,
        subject,
        &format!("{greeting}, {name}!"),
        body,
        button,
        link,
        ignore,
    )
}

fn render(
    to: &str,
    subject: &str,
    greeting: &str,
    body: &str,
    button: &str,
    link: &str,
    ignore: &str,
) -> OutgoingEmail {
    let text_body = format!("{greeting}\n\n{body}\n\n{button}: {link}\n\n{ignore}\n\n— NoxChat\n");
    let html_body = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\">\
         <p>{greeting}</p><p>{body}</p>\
         <p><a href=\"{link}\" style=\"display:inline-block;padding:10px 16px;background:#4c6ef5;color:#fff;text-decoration:none;border-radius:6px\">{button}</a></p>\
         <p style=\"color:#666;font-size:13px\">{link}</p>\
         <p style=\"color:#666;font-size:13px\">{ignore}</p><p>— NoxChat</p></body></html>",
        greeting = escape_html(greeting),
        body = escape_html(body),
        button = escape_html(button),
        link = escape_html(link),
        ignore = escape_html(ignore),
    );
    OutgoingEmail {
        to: to.to_owned(),
        subject: subject.to_owned(),
        text_body,
        html_body,
    }
}

fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_in_html() {
        let email = password_reset(
            "a@b.org",
            "<script>x</script>",
            Locale::En,
            "http://x/?token=a&b",
        );
        assert!(!email.html_body.contains("<script>"));
        assert!(email.html_body.contains("token=a&amp;b"));
        assert!(email.text_body.contains("http://x/?token=a&b"));
    }

    #[test]
    fn russian_readers_get_russian_text() {
        let email = email_verification("a@b.org", "Анна", Locale::Ru, "http://x/");
        assert!(email.subject.contains("Подтвердите"));
        assert!(email.text_body.contains("Здравствуйте, Анна!"));
    }
}

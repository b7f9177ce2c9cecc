"""In development every email is its own file under var/mail/."""

from email import message_from_bytes

from django.core.mail import EmailMessage, get_connection


def test_each_message_of_one_connection_gets_its_own_file(tmp_path) -> None:
    connection = get_connection(
        "mapertunity.core.mail.OneFilePerMessageBackend", file_path=str(tmp_path)
    )
    messages = [EmailMessage(f"Subject {n}", "Body", to=[f"p{n}@example.org"]) for n in range(3)]
    assert connection.send_messages(messages) == 3
    files = sorted(tmp_path.iterdir())
    assert len(files) == 3
    subjects = {message_from_bytes(f.read_bytes())["Subject"] for f in files}
    assert subjects == {"Subject 0", "Subject 1", "Subject 2"}

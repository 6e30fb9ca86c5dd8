DROP TABLE message_images;
DROP TABLE messages;
DROP TABLE conversation_members;
DROP TABLE conversations;

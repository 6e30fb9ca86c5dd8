import { historyItems, withMessage, withOnTop } from "@/features/chat/cache";
import { chatMessage, conversation, conversationsData, messagesData } from "@/features/chat/test-support";

const seqs = (data: ReturnType<typeof withMessage>) => data?.pages.map((page) => page.items.map((message) => message.seq));

describe("merging a message into a loaded history", () => {
  it("puts one that falls within an older page into that page", () => {
    const data = messagesData("c1", [[6, 9], [1, 4]]);
    expect(seqs(withMessage(data, chatMessage("c1", 5)))).toEqual([[6, 7, 8, 9], [1, 2, 3, 4, 5]]);
  });

  it("leaves one older than everything loaded to the page that will load it", () => {
    const data = messagesData("c1", [[6, 9]], true);
    expect(withMessage(data, chatMessage("c1", 2))).toBe(data);
  });

  it("puts one first when the conversation's beginning is loaded", () => {
    const data = messagesData("c1", [[6, 9]]);
    expect(seqs(withMessage(data, chatMessage("c1", 5)))).toEqual([[5, 6, 7, 8, 9]]);
  });

  it("starts an empty conversation", () => {
    const data = { pages: [{ items: [], has_more: false }], pageParams: [null] };
    expect(seqs(withMessage(data, chatMessage("c1", 1)))).toEqual([[1]]);
  });

  it("keeps the copy already there", () => {
    const data = messagesData("c1", [[1, 3]]);
    expect(withMessage(data, chatMessage("c1", 2, { body: "other" }))).toBe(data);
  });

  it("reads out each message once, oldest first", () => {
    const data = messagesData("c1", [[4, 6], [1, 4]]);
    expect(historyItems(data).map((message) => message.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe("moving a conversation to the top of the list", () => {
  it("takes it from a later page, changed, and leaves the rest in order", () => {
    const list = conversationsData([conversation("a"), conversation("b")], [conversation("c")]);
    const moved = withOnTop(list, "c", (item) => ({ ...item, unread_count: 1 }));
    expect(moved?.pages.map((page) => page.items.map((item) => `${item.id}${item.unread_count}`))).toEqual([["c1", "a0", "b0"], []]);
  });

  it("changes nothing for a conversation not in it", () => {
    const list = conversationsData([conversation("a")]);
    expect(withOnTop(list, "z", (item) => item)).toBe(list);
  });
});

/** Discord's hard limits on a message, from https://discord.com/developers/docs/resources/message. */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthorName: 256,
  /** Sum of every embed's title, description, field names and values, footer and author name. */
  embedsTotal: 6000,
  customId: 100,
  autocompleteChoices: 25,
  choiceName: 100,
  threadName: 100,
} as const;

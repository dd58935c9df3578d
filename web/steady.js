// Starts the rasa-webchat widget against the Rasa server that served this page.
// The conversation id lives in localStorage, so a reload (or a new tab) keeps it.
(function () {
  WebChat.default(
    {
      selector: "#webchat",
      socketUrl: window.location.origin,
      socketPath: "/socket.io/",
      initPayload: "/greet",
      title: "Steady",
      subtitle: "Pause. Name it. Draft calmly.",
      inputTextFieldHint: "Tell me what happened…",
      showMessageDate: false,
      hideWhenNotConnected: false,
      connectingText: "Connecting…",
      params: { storage: "local" },
    },
    null
  );
})();
